// The write-ahead journal's on-disk form and its replay. Each record is framed as
// [u32 length][u32 CRC-32 of the payload][payload: JSON], so a torn last record is detected.
import { crc32 } from 'node:zlib';
import { lookup, type JournalOp } from './tracked-state.js';

export const FRAME_HEADER = 8;
/** Largest record accepted on replay (a larger length field means a torn or foreign file). */
const MAX_RECORD = 1 << 30;
/** Event lists are trimmed like the live journal does: from 2,500 back to 2,000. */
const EVENTS_KEEP = 2_000;
const EVENTS_TRIM_AT = 2_500;

export interface JournalRecord {
  /** The commit's sequence number (increasing through the file). */
  n: number;
  ops: JournalOp[];
}

/** Frames one record whose ops are already JSON text. */
export function encodeRecord(n: number, ops: readonly string[]): Buffer {
  const payload = Buffer.from(`{"n":${n},"ops":[${ops.join(',')}]}`);
  const out = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, FRAME_HEADER);
  return out;
}

/** Reads every whole record of a segment; `goodBytes` ends the last whole one (a torn tail follows). */
export function decodeRecords(data: Buffer): { records: JournalRecord[]; goodBytes: number; torn: string | null } {
  const records: JournalRecord[] = [];
  let at = 0;
  while (at < data.length) {
    if (data.length - at < FRAME_HEADER) return { records, goodBytes: at, torn: `${data.length - at} bytes of a record header` };
    const length = data.readUInt32LE(at);
    const sum = data.readUInt32LE(at + 4);
    if (length > MAX_RECORD || at + FRAME_HEADER + length > data.length) {
      return { records, goodBytes: at, torn: `a record of ${length} bytes with ${data.length - at - FRAME_HEADER} written` };
    }
    const payload = data.subarray(at + FRAME_HEADER, at + FRAME_HEADER + length);
    if (crc32(payload) !== sum) return { records, goodBytes: at, torn: 'a record whose checksum does not match' };
    let record: JournalRecord;
    try {
      record = JSON.parse(payload.toString('utf8')) as JournalRecord;
    } catch {
      return { records, goodBytes: at, torn: 'a record that is not JSON' };
    }
    records.push(record);
    at += FRAME_HEADER + length;
  }
  return { records, goodBytes: at, torn: null };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Replays journal ops onto a raw state document. Every op is idempotent and carries values as they
 * were at commit, so replaying a record over a state that already holds it changes nothing.
 * Group member lists are kept as sets while replaying (a big group gets many single changes).
 */
export class Replay {
  private readonly groups = new Map<string, { path: string[]; members: Set<string> }>();

  constructor(readonly root: Record<string, unknown>) {}

  apply(ops: readonly JournalOp[]): void {
    for (const op of ops) {
      const path = op[1];
      switch (op[0]) {
        case 's':
        case 'd': {
          this.forgetGroupsUnder(path);
          const [found, parent] = lookup(this.root, path.slice(0, -1));
          const key = path[path.length - 1]!;
          if (!found || !isObject(parent)) break;
          if (op[0] === 's') parent[key] = op[2];
          else delete parent[key];
          break;
        }
        case 'e': {
          const [has, list] = lookup(this.root, path);
          if (!has || !Array.isArray(list)) break;
          const event = op[2] as { seq?: number };
          const last = list[list.length - 1] as { seq?: number } | undefined;
          if (last && typeof last.seq === 'number' && typeof event.seq === 'number' && event.seq <= last.seq) break;
          list.push(event);
          if (list.length > EVENTS_TRIM_AT) list.splice(0, list.length - EVENTS_KEEP);
          break;
        }
        case 'm+':
        case 'm-': {
          const key = path.join('\u0000');
          let entry = this.groups.get(key);
          if (!entry) {
            const [has, group] = lookup(this.root, path);
            if (!has || !isObject(group)) break;
            entry = { path, members: new Set(Array.isArray(group.members) ? (group.members as string[]) : []) };
            this.groups.set(key, entry);
          }
          if (op[0] === 'm+') entry.members.add(op[2]);
          else entry.members.delete(op[2]);
          break;
        }
      }
    }
  }

  /** A set or delete at or above a group replaces its member list: the pending set is obsolete. */
  private forgetGroupsUnder(path: readonly string[]): void {
    if (this.groups.size === 0) return;
    if (path.length >= 4 && !(path.length === 5 && path[4] === 'members')) return;
    const prefix = path.join('\u0000');
    for (const key of this.groups.keys()) if (path.length === 0 || key === prefix || key.startsWith(`${prefix}\u0000`) || (path.length === 5 && `${key}\u0000members` === prefix)) this.groups.delete(key);
  }

  /** Writes the member sets back as lists; returns the document. */
  finish(): Record<string, unknown> {
    for (const { path, members } of this.groups.values()) {
      const [has, group] = lookup(this.root, path);
      if (has && isObject(group)) group.members = [...members];
    }
    this.groups.clear();
    return this.root;
  }
}
