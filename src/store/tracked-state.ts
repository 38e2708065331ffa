// The live state behind a write-tracking proxy: every write is noted as a path to journal, an
// undo entry (so a change whose journal write fails is taken back) and, while a snapshot or an
// export reads the state, a pre-image so that reader sees one consistent moment.

/** One journal operation. Paths are keys from the state's root; every op is idempotent on replay. */
export type JournalOp =
  /** Set the value at a path (its parent must exist). */
  | ['s', string[], unknown]
  /** Delete the key at a path. */
  | ['d', string[]]
  /** Append an event to an event list unless its seq is already there. */
  | ['e', string[], unknown]
  /** Add a member id to a group's member list / remove it (SCIM and local groups). */
  | ['m+', string[], string]
  | ['m-', string[], string];

/** What one commit carries: the ops, or `root` when the whole state was replaced (import, reset). */
export interface Batch {
  /** The ops as JSON text, each op one element: `["s",["dns","a.example"],["1"]]`. */
  ops: string[];
  root: boolean;
  /** The tracker version this batch covers. */
  version: number;
}

const RAW = Symbol('raw state object');
const SEP = '\u0000';

interface Meta {
  parent: Meta | null;
  key: string;
  /** The nearest array at or above this object: writes inside an array journal the whole array. */
  arrayRoot: Meta | null;
  depth: number;
  // A meta's place never changes (a cached proxy is reused only under the same parent and key):
  // its path, joined path and event-list test are worked out at its first write.
  path?: readonly string[];
  joined?: string;
  eventList?: boolean;
}

type UndoLog = Array<[object, string, boolean, unknown] | ['root', object] | ['unshift', unknown[], unknown[]]>;

/** A pre-image view: what each object held when the view was opened, for consistent readers. */
export class StateView {
  /** target → key → [had, old] at the first write after the view opened. */
  readonly before = new WeakMap<object, Map<string, [boolean, unknown]>>();
  constructor(readonly root: unknown) {}

  /** The object's own keys as they were when the view opened. */
  keys(target: object): string[] {
    const pre = this.before.get(target);
    const now = Array.isArray(target) ? [] : Object.keys(target);
    if (!pre) return now;
    const out = now.filter((k) => {
      const p = pre.get(k);
      return p === undefined || p[0];
    });
    for (const [k, [had]] of pre) if (had && !Object.hasOwn(target, k)) out.push(k);
    return out;
  }

  get(target: object, key: string): unknown {
    const p = this.before.get(target)?.get(key);
    return p ? p[1] : (target as Record<string, unknown>)[key];
  }

  length(target: unknown[]): number {
    const p = this.before.get(target)?.get('length');
    return p ? (p[1] as number) : target.length;
  }
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** The raw object behind a tracked proxy (or the value itself). */
export function rawOf<T>(value: T): T {
  if (isObject(value)) {
    const raw = (value as Record<symbol, unknown>)[RAW];
    if (raw !== undefined) return raw as T;
  }
  return value;
}

/** Strips tracked proxies out of a value about to be stored, so the raw tree holds raw objects. */
function unwrapDeep(value: unknown, depth = 0): unknown {
  if (!isObject(value)) return value;
  const raw = rawOf(value);
  if (raw !== value || depth > 64) return raw;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (isObject(v)) {
        const u = unwrapDeep(v, depth + 1);
        if (u !== v) value[i] = u;
      }
    }
  } else {
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      if (isObject(v)) {
        const u = unwrapDeep(v, depth + 1);
        if (u !== v) (value as Record<string, unknown>)[k] = u;
      }
    }
  }
  return value;
}

/** Proxies are cached (stable identity) down to this depth: the root, workspaces, their maps and the records in them (a member, a domain). */
const CACHE_DEPTH = 4;

const isEventList = (path: string[]) =>
  (path.length === 2 && path[0] === 'events' && path[1] === 'items') || (path.length === 3 && path[0] === 'workspaces' && path[2] === 'events');

/**
 * Wraps a JSON state tree. `root` is the proxy everyone reads and writes; the tracker turns writes
 * into journal ops at commit time (the current value of each touched path: O(changed data)).
 */
export class StateTracker {
  private rawRoot: object;
  private rootProxy: object;
  private readonly cache = new WeakMap<object, { meta: Meta; proxy: object }>();
  /** The traps, shared; each proxy's handler is an object over this with its own `meta`. */
  private readonly traps: ProxyHandler<object>;
  private dirty = new Set<string>();
  private appends: JournalOp[] = [];
  private rootReplaced = false;
  private signalled = false;
  private undo: UndoLog = [];
  private readonly views = new Set<StateView>();
  /** Bumped by every write; a commit covers every write up to the version it took. */
  version = 0;
  /** Off until a store attaches: a core without a store keeps no journal ops or undo log. */
  journaling = false;
  /**
   * Whether journaling keeps each write's ops (the touched paths, the appends) for the batch: off
   * for a store that never writes them (memory), which keeps the undo log only.
   */
  keepsOps = true;

  /** Whether each write's journal ops are kept for the batch. */
  private get journalsOps(): boolean {
    return this.journaling && this.keepsOps;
  }
  /** Called on the first write after a batch was taken (the store schedules a commit). */
  onDirty: () => void = () => {};
  /** Called before a batch is taken, to write derived values (clock offsets) into the state. */
  beforeTake: () => void = () => {};
  /** The store's health, shown by /_emulator/health. */
  health: { ok: true } | { ok: false; reason: string } = { ok: true };

  constructor(root: object) {
    this.rawRoot = rawOf(root);
    const tracker = this;
    this.traps = {
      get(this: { meta: Meta }, target, key, receiver) {
        if (key === RAW) return target;
        const value = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || !isObject(value)) return value;
        return tracker.wrap(value, this.meta, key);
      },
      set(this: { meta: Meta }, target, key, value) {
        if (typeof key !== 'string') return Reflect.set(target, key, value);
        tracker.write(this.meta, target, key, unwrapDeep(value));
        return true;
      },
      deleteProperty(this: { meta: Meta }, target, key) {
        if (typeof key !== 'string') return Reflect.deleteProperty(target, key);
        tracker.remove(this.meta, target, key);
        return true;
      },
      defineProperty(this: { meta: Meta }, target, key, descriptor) {
        if (typeof key !== 'string' || !('value' in descriptor)) return Reflect.defineProperty(target, key, descriptor);
        tracker.write(this.meta, target, key, unwrapDeep(descriptor.value));
        return true;
      },
    };
    this.rootProxy = this.rootFor(this.rawRoot);
  }

  /** The tracked root: read and write the state through it. */
  get root(): object {
    return this.rootProxy;
  }

  /** The untracked root (readers that must not note writes: snapshots, exports). */
  get raw(): object {
    return this.rawRoot;
  }

  /** Replaces the whole state (an import or a reset): the next commit writes a full snapshot. */
  replaceRoot(next: object): void {
    const raw = rawOf(next);
    if (raw === this.rawRoot) return;
    if (this.journaling) this.undo.push(['root', this.rawRoot]);
    this.rawRoot = raw;
    this.rootProxy = this.rootFor(raw);
    if (this.journaling) this.rootReplaced = true;
    this.touched();
  }

  private rootFor(raw: object): object {
    return this.proxyFor(raw, { parent: null, key: '', arrayRoot: null, depth: 0 });
  }

  private proxyFor(target: object, meta: Meta): object {
    const handler = Object.create(this.traps) as ProxyHandler<object> & { meta: Meta };
    handler.meta = meta;
    const proxy = new Proxy(target, handler);
    if (meta.depth <= CACHE_DEPTH) this.cache.set(target, { meta, proxy });
    return proxy;
  }

  private wrap(value: object, parent: Meta, key: string): object {
    if (parent.depth < CACHE_DEPTH) {
      const cached = this.cache.get(value);
      if (cached && cached.meta.parent === parent && cached.meta.key === key) return cached.proxy;
    }
    const meta: Meta = { parent, key, arrayRoot: null, depth: parent.depth + 1 };
    meta.arrayRoot = parent.arrayRoot ?? (Array.isArray(value) ? meta : null);
    return this.proxyFor(value, meta);
  }

  private pathOf(meta: Meta): string[] {
    const path: string[] = [];
    for (let m: Meta | null = meta; m && m.parent; m = m.parent) path.push(m.key);
    return path.reverse();
  }

  private touched(): void {
    this.version++;
    if (!this.signalled) {
      this.signalled = true;
      this.onDirty();
    }
  }

  /** Notes a write's pre-image for undo and for open views. */
  private note(target: object, key: string): void {
    const had = Object.hasOwn(target, key);
    const old = had ? (target as Record<string, unknown>)[key] : undefined;
    if (this.journaling) this.undo.push([target, key, had, old]);
    for (const view of this.views) {
      let pre = view.before.get(target);
      if (!pre) view.before.set(target, (pre = new Map()));
      if (!pre.has(key)) pre.set(key, [had, old]);
    }
  }

  /** Notes element removals when an array shrinks by a `length` write (they have no trap). */
  private noteShrink(target: unknown[], newLength: number): void {
    for (let i = target.length - 1; i >= newLength; i--) this.note(target, String(i));
  }

  private write(meta: Meta, target: object, key: string, value: unknown): void {
    if (Array.isArray(target)) {
      if (key === 'length' && typeof value === 'number' && value < target.length) this.noteShrink(target, value);
      // Writing past the end moves `length` too, with no trap of its own.
      else if (/^\d+$/.test(key) && Number(key) >= target.length) this.note(target, 'length');
    }
    this.note(target, key);
    (target as Record<string, unknown>)[key] = value;
    this.mark(meta, target, key, value, true);
  }

  private remove(meta: Meta, target: object, key: string): void {
    if (!Object.hasOwn(target, key)) return;
    this.note(target, key);
    delete (target as Record<string, unknown>)[key];
    this.mark(meta, target, key, undefined, false);
  }

  private mark(meta: Meta, target: object, key: string, value: unknown, isSet: boolean): void {
    if (this.journalsOps) {
      const arrayRoot = meta.arrayRoot;
      if (arrayRoot) {
        const path = (arrayRoot.path ??= this.pathOf(arrayRoot));
        if ((arrayRoot.eventList ??= isEventList(path as string[]))) {
          // Event lists are append-only logs: journal the appended event, not the list; the
          // batched trim (a splice at the front) is redone on replay.
          if (arrayRoot === meta && isSet && /^\d+$/.test(key) && Number(key) === (target as unknown[]).length - 1) {
            this.appends.push(['e', path as string[], value]);
          }
        } else this.dirty.add((arrayRoot.joined ??= path.join(SEP)));
      } else {
        const base = (meta.joined ??= this.pathOf(meta).join(SEP));
        this.dirty.add(meta.parent === null ? key : `${base}${SEP}${key}`);
      }
    }
    this.touched();
  }

  /**
   * A write made outside the proxy by code that owns a derived form of the state (group
   * membership lists kept by the workspace index): noted for undo and views, journaled as `op`.
   */
  rawArrayAdd(list: string[], value: string, op: { path: string[] }): void {
    this.rawAppend(list, value, 'm+', op.path);
  }

  /** Pushes onto a raw array, noted as a proxied push is (undo entries for the new index and the length), journaled as a `kind` op. */
  private rawAppend(list: unknown[], value: unknown, kind: 'e' | 'm+', path: string[]): number {
    this.note(list, 'length');
    this.note(list, String(list.length));
    const length = list.push(value);
    if (this.journalsOps) this.appends.push([kind, path, value] as JournalOp);
    this.touched();
    return length;
  }

  rawArrayRemove(list: string[], value: string, op: { path: string[] }): boolean {
    const at = list.indexOf(value);
    if (at < 0) return false;
    const last = list.length - 1;
    if (at !== last) {
      this.note(list, String(at));
      list[at] = list[last]!;
    }
    this.note(list, String(last));
    this.note(list, 'length');
    list.length = last;
    if (this.journalsOps) this.appends.push(['m-', op.path, value]);
    this.touched();
    return true;
  }

  /**
   * Appends an event to an event list (the journal's record) on the raw array, noted and journaled
   * as a push through the proxy is (undo entries for the new index and the length, the appended
   * event as an `e` op), without the proxy's four traps for a push. Answers the list's length.
   */
  appendEvent(list: unknown[], event: unknown, path: string[]): number {
    const value = unwrapDeep(event);
    return this.rawAppend(rawOf(list), value, 'e', path);
  }

  /**
   * Drops the first `count` events of an event list (the journal's batched trim) on the raw array,
   * with one undo entry instead of a noted write for every element it moves. Event lists journal
   * their appends only and replay redoes the trim, so there is nothing to journal. While a view is
   * open (a snapshot or an export reading), the trim goes through the proxy as any write does.
   */
  trimEventList(list: unknown[], count: number): void {
    if (count <= 0) return;
    if (this.views.size > 0) {
      list.splice(0, count);
      return;
    }
    const raw = rawOf(list);
    const removed = raw.splice(0, count);
    if (this.journaling) this.undo.push(['unshift', raw, removed]);
    this.touched();
  }

  rawArrayClear(list: string[], op: { path: string[] }): void {
    if (list.length === 0) return;
    if (this.journalsOps) for (const value of list) this.appends.push(['m-', op.path, value]);
    this.noteShrink(list, 0);
    this.note(list, 'length');
    list.length = 0;
    this.touched();
  }

  /** True when writes are waiting for a commit. */
  get pending(): boolean {
    return this.dirty.size > 0 || this.appends.length > 0 || this.rootReplaced || this.undo.length > 0;
  }

  /**
   * Takes every write since the last batch as journal ops (current values of touched paths,
   * ancestors winning over descendants), plus the undo log to take them back if writing fails.
   */
  take(encode: boolean): { batch: Batch; undo: UndoLog } {
    this.beforeTake();
    const version = this.version;
    const ops: string[] = [];
    const root = this.rootReplaced;
    if (encode && !root) {
      const paths = [...this.dirty];
      const set = this.dirty;
      for (const joined of paths) {
        const path = joined.split(SEP);
        let covered = false;
        for (let i = 1; i < path.length && !covered; i++) covered = set.has(path.slice(0, i).join(SEP));
        if (covered) continue;
        const [found, value] = lookup(this.rawRoot, path);
        // JSON now: the value may change again before the batch is written.
        ops.push(found ? `["s",${JSON.stringify(path)},${JSON.stringify(value) ?? 'null'}]` : `["d",${JSON.stringify(path)}]`);
      }
      for (const op of this.appends) ops.push(JSON.stringify(op));
    }
    const undo = this.undo;
    this.dirty = new Set();
    this.appends = [];
    this.undo = [];
    this.rootReplaced = false;
    this.signalled = false;
    return { batch: { ops, root, version }, undo };
  }

  /** Takes back a batch (and every write after it): the journal could not hold it. */
  rollback(undos: UndoLog[]): void {
    const all = [...undos, this.undo];
    for (let u = all.length - 1; u >= 0; u--) {
      const log = all[u]!;
      for (let i = log.length - 1; i >= 0; i--) {
        const entry = log[i]!;
        if (entry[0] === 'root') {
          this.rawRoot = entry[1];
          continue;
        }
        if (entry[0] === 'unshift') {
          entry[1].unshift(...entry[2]);
          continue;
        }
        const [target, key, had, old] = entry;
        if (had) (target as Record<string, unknown>)[key] = old;
        else delete (target as Record<string, unknown>)[key];
      }
    }
    this.rootProxy = this.rootFor(this.rawRoot);
    this.signalled = false;
    this.dirty = new Set();
    this.appends = [];
    this.undo = [];
    this.rootReplaced = false;
  }

  /** Opens a consistent view of the state as it is now; close it when done reading. */
  openView(): StateView {
    const view = new StateView(this.rawRoot);
    this.views.add(view);
    return view;
  }

  closeView(view: StateView): void {
    this.views.delete(view);
  }
}

/** The value at a path of a raw tree. */
export function lookup(root: unknown, path: readonly string[]): [boolean, unknown] {
  let node: unknown = root;
  for (const key of path) {
    if (!isObject(node) || !Object.hasOwn(node, key)) return [false, undefined];
    node = (node as Record<string, unknown>)[key];
  }
  return [true, node];
}

/**
 * A deep copy of a JSON value from the state. structuredClone refuses the tracked proxies, so
 * code that copies state values uses this.
 */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
