// Writes the state as JSON in slices that yield to the event loop, reading it through a
// consistent view, so a snapshot or an export of 100,000 users never stalls requests for long.
import type { StateView } from './tracked-state.js';

/** Containers with more entries than this are written entry by entry, yielding between slices. */
const SLICE_ENTRIES = 256;
/**
 * Above this depth every container is written entry by entry: a workspace has few keys but holds
 * every member. From it on (a member, a group) a record is written in one go unless it or one of
 * its children is large (a group's member list, a provisioning target's users).
 */
const SPLIT_DEPTH = 4;
const NO_KEYS: ReadonlySet<string> = new Set();

const entryCount = (v: object) => (Array.isArray(v) ? v.length : Object.keys(v).length);

/** Small enough to write in one go: few entries, and no child with many (a group's member list). */
function small(v: object, size: number): boolean {
  if (size > SLICE_ENTRIES) return false;
  for (const child of Array.isArray(v) ? v : Object.values(v)) {
    if (isObject(child) && entryCount(child) > SLICE_ENTRIES) return false;
  }
  return true;
}
/** Longest stretch of serialization between two yields to the event loop. */
export const SLICE_MS = 8;

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** The object as the view saw it (a shallow copy) when it changed since; the object itself otherwise. */
function asSeen(view: StateView, v: unknown): unknown {
  if (!isObject(v) || !view.before.has(v)) return v;
  if (Array.isArray(v)) {
    const n = view.length(v);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = view.get(v, String(i));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of view.keys(v)) out[k] = view.get(v, k);
  return out;
}

/** Receives the JSON text piece by piece; `write` may apply back-pressure. */
export interface JsonSink {
  write(text: string): void | Promise<void>;
}

/**
 * Serializes `view.root` (then the `extra` keys, which replace the root's of the same name, then the
 * `trailer` text). Yields to the
 * event loop whenever a slice took SLICE_MS, so no request waits long behind it.
 */
export async function serializeView(
  view: StateView,
  sink: JsonSink,
  extra: Record<string, unknown> = {},
  options: {
    /** Text written just before the closing brace, once everything before it reached the sink. */
    trailer?: () => string;
    /** Keys left out of each workspace (an export leaves out the conformance findings, a log kept by snapshots). */
    omitWorkspaceKeys?: ReadonlySet<string>;
  } = {},
): Promise<void> {
  const { trailer, omitWorkspaceKeys = NO_KEYS } = options;
  const replacer = function (this: unknown, _key: string, value: unknown) {
    return asSeen(view, value);
  };
  let sliceStart = performance.now();
  let buffer: string[] = [];
  let buffered = 0;
  const emit = async (text: string) => {
    buffer.push(text);
    buffered += text.length;
    if (buffered >= 1 << 20) {
      const out = buffer.join('');
      buffer = [];
      buffered = 0;
      await sink.write(out);
    }
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  };

  const write = async (value: unknown, depth: number): Promise<void> => {
    const v = asSeen(view, value);
    if (!isObject(v)) {
      await emit(JSON.stringify(v) ?? 'null');
      return;
    }
    const isArray = Array.isArray(v);
    const keys = isArray ? null : Object.keys(v);
    const size = isArray ? (v as unknown[]).length : keys!.length;
    if (depth >= SPLIT_DEPTH && small(v, size)) {
      await emit(JSON.stringify(v, replacer));
      return;
    }
    // A large container (or one of the first levels): entry by entry. Entries are read through
    // the view as the loop reaches them: anything written since the view opened reads as it was.
    if (isArray) {
      const list = v as unknown[];
      const n = v === value ? view.length(list) : list.length;
      await emit('[');
      for (let i = 0; i < n; i++) {
        if (i > 0) await emit(',');
        const item = v === value ? view.get(list, String(i)) : list[i];
        await write(item === undefined ? null : item, depth + 1);
      }
      await emit(']');
      return;
    }
    const record = v as Record<string, unknown>;
    await emit('{');
    let first = true;
    for (const k of keys!) {
      const item = v === value ? view.get(record, k) : record[k];
      if (item === undefined || typeof item === 'function') continue;
      if (depth === 2 && omitWorkspaceKeys.has(k)) continue;
      await emit(`${first ? '' : ','}${JSON.stringify(k)}:`);
      first = false;
      await write(item, depth + 1);
    }
    await emit('}');
  };

  const root = asSeen(view, view.root) as Record<string, unknown>;
  await emit('{');
  let first = true;
  const entries: Array<[string, unknown]> = [
    ...Object.keys(root)
      .filter((k) => !Object.hasOwn(extra, k))
      .map((k) => [k, root[k]] as [string, unknown]),
    ...Object.entries(extra),
  ];
  for (const [k, item] of entries) {
    if (item === undefined) continue;
    await emit(`${first ? '' : ','}${JSON.stringify(k)}:`);
    first = false;
    await write(item, 1);
  }
  if (trailer) {
    if (buffer.length > 0) await sink.write(buffer.join(''));
    buffer = [];
    buffered = 0;
    await emit(trailer());
  }
  await emit('}\n');
  if (buffer.length > 0) await sink.write(buffer.join(''));
}
