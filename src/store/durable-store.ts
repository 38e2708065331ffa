// The durable store: a write-ahead journal beside the lowdb JSON state file. Every change is
// appended (group commit) before its response goes out; snapshots are written in the background
// in slices; one process per data file. `--memory` runs the same commit path without files.
import { createHash } from 'node:crypto';
import { constants, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FileLock } from './file-lock.js';
import { Replay, decodeRecords, encodeRecord } from './journal-file.js';
import { parseJsonStream } from './json-stream.js';
import { serializeView } from './serialize.js';
import { STATE_FORMAT } from './new-state.js';
import type { EmulatorState } from './state.js';
import { CommitPipeline, describe, type FsyncMode } from './commit-pipeline.js';
import { StoreLoadError } from './store-errors.js';
import type { StateTracker, StateView } from './tracked-state.js';

export { FSYNC_MODES, MemoryStore, type FsyncMode, type StateStore, type StoreHost } from './commit-pipeline.js';

/** How often `--fsync interval` flushes the journal to the disk. */
export const FSYNC_INTERVAL_MS = 100;
/** The journal is folded into a snapshot once it passes this size (or the last snapshot's size). */
export const SNAPSHOT_MIN_BYTES = 16 << 20;
/** The key in a snapshot that names the first journal segment to replay over it. */
export const JOURNAL_FROM_KEY = 'journalFrom';
/**
 * The last key of a snapshot: the sha256 of every byte before it and the fingerprint of the state
 * format (stateFingerprint). A snapshot whose mark matches was written by this release and not
 * changed since, and is loaded without checking again what was checked when it was taken.
 */
export const INTEGRITY_KEY = 'integrity';
const INTEGRITY_PREFIX = `,"${INTEGRITY_KEY}":`;

interface IntegrityMark {
  sha256: string;
  schema: string;
}

const integrityTrailer = (mark: IntegrityMark) => `${INTEGRITY_PREFIX}${JSON.stringify(mark)}`;

/**
 * The state's zod shape and checks (state.ts), loaded with the first data file read or written:
 * importing the package does not load zod (docs/performance.md §2).
 */
let stateChecks: Promise<typeof import('./state.js')> | undefined;
const loadStateChecks = () => (stateChecks ??= import('./state.js'));

/**
 * True when the file's last key is an integrity mark that matches its bytes and this release's
 * state format (`fingerprint`). Anything else (no mark, a hand edit, another release) means a full check.
 */
function markHolds(bytes: Buffer, doc: Record<string, unknown>, fingerprint: string): boolean {
  const mark = doc[INTEGRITY_KEY] as Partial<IntegrityMark> | undefined;
  if (typeof mark !== 'object' || mark === null || typeof mark.sha256 !== 'string' || mark.schema !== fingerprint) return false;
  const at = bytes.lastIndexOf(INTEGRITY_PREFIX);
  if (at < 0) return false;
  const tail = `${integrityTrailer({ sha256: mark.sha256, schema: mark.schema })}}\n`;
  if (bytes.length - at !== Buffer.byteLength(tail) || bytes.toString('utf8', at) !== tail) return false;
  return createHash('sha256').update(bytes.subarray(0, at)).digest('hex') === mark.sha256;
}

/** Data files above this size are parsed as a stream rather than read into one string. */
const STREAM_PARSE_BYTES = 256 << 20;

/** File operations the journal uses; tests replace `write` to simulate a failing disk. */
export interface JournalIo {
  write(handle: FileHandle, data: Buffer, position: number): Promise<void>;
}

const defaultIo: JournalIo = {
  async write(handle, data, position) {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
  },
};

export interface DurableStoreOptions {
  fsync?: FsyncMode;
  /** Journal size that triggers a snapshot (default: 16 MiB or the last snapshot's size). */
  snapshotBytes?: number;
  io?: JournalIo;
  /** Where warnings go (a torn journal tail); stderr by default. */
  warn?: (message: string) => void;
}

interface SnapshotStart {
  view: StateView;
  version: number;
  from: number;
}

interface SnapshotRun {
  failed: boolean;
  done: Promise<void>;
}

/**
 * The state file plus journal segments `FILE.journal.N`. A snapshot names the first segment to
 * replay over it (JOURNAL_FROM_KEY); older segments are deleted once it is in place.
 */
export class DurableStore extends CommitPipeline {
  readonly path: string;
  readonly description: string;
  readonly fsync: FsyncMode;
  protected readonly encode = true;
  private readonly lock: FileLock;
  private readonly io: JournalIo;
  private readonly warn: (message: string) => void;
  private readonly snapshotBytesOption: number | undefined;
  private loaded = false;
  private closed = false;
  /** No state file yet (or the whole state was replaced): the next batch writes a full snapshot. */
  private snapshotNeeded = false;
  private segment = 0;
  private handle: FileHandle | undefined;
  private segmentBytes = 0;
  private lastSnapshotBytes = 0;
  private recordNo = 0;
  private unsynced = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private background: SnapshotRun | undefined;
  private tmpCounter = 0;
  /** Bytes replayed at load (the journal a restart had to read). */
  replayedBytes = 0;
  /** Snapshots written (tests and the benchmark read it). */
  snapshots = 0;
  /**
   * How the loaded state was checked: `full` (zod shape and every rule), `own` (a snapshot of this
   * release with its integrity mark intact: only the clocks again), or `none` (no file yet).
   */
  loadCheck: 'full' | 'own' | 'none' = 'none';

  constructor(path: string, options: DurableStoreOptions = {}) {
    super();
    this.path = resolve(path);
    this.fsync = options.fsync ?? 'interval';
    this.description = `${this.path} (journal fsync: ${this.fsync})`;
    this.lock = new FileLock(`${this.path}.lock`, this.path);
    this.io = options.io ?? defaultIo;
    this.warn = options.warn ?? ((m) => process.stderr.write(`edu-emulator: ${m}\n`));
    this.snapshotBytesOption = options.snapshotBytes;
  }

  private segmentPath(n: number): string {
    return `${this.path}.journal.${n}`;
  }

  private listSegments(): number[] {
    const dir = dirname(this.path);
    const prefix = `${basename(this.path)}.journal.`;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
      .map((n) => Number(n.slice(prefix.length)))
      .sort((a, b) => a - b);
  }

  async load(): Promise<EmulatorState | null> {
    const recover = `Nothing was changed. Move the file away, or start with --data OTHER_FILE or --memory.`;
    let size = -1;
    try {
      const st = await stat(this.path);
      if (!st.isFile()) throw new StoreLoadError(`Data file ${this.path} is not a regular file. ${recover}`);
      size = st.size;
    } catch (e) {
      if (e instanceof StoreLoadError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new StoreLoadError(`Cannot read data file ${this.path} (${code}). ${recover}`);
    }
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    this.lock.acquire();
    try {
      return await this.loadLocked(size, recover);
    } catch (e) {
      this.lock.release();
      throw e;
    }
  }

  private async loadLocked(size: number, recover: string): Promise<EmulatorState | null> {
    const { parseOwnState, parseState, stateFingerprint } = await loadStateChecks();
    const segments = this.listSegments();
    if (size < 0) {
      if (segments.length > 0) {
        throw new StoreLoadError(
          `Data file ${this.path} is missing but its journal (${this.segmentPath(segments[0]!)}) is there; restore the file or move the journal away. ${recover}`,
        );
      }
      this.loaded = true;
      this.snapshotNeeded = true;
      return null;
    }
    let data: unknown;
    let bytes: Buffer | undefined;
    try {
      if (size > STREAM_PARSE_BYTES) data = await parseJsonStream(createReadStream(this.path));
      else if (size === 0) data = null;
      else {
        bytes = await readFile(this.path);
        data = JSON.parse(bytes.toString('utf8'));
      }
    } catch (e) {
      if (e instanceof SyntaxError) {
        throw new StoreLoadError(`Data file ${this.path} is not valid JSON (${e.message}); it may be corrupt. ${recover}`);
      }
      throw new StoreLoadError(`Cannot read data file ${this.path} (${describe(e)}). ${recover}`);
    }
    if (data === null) {
      this.loaded = true;
      this.snapshotNeeded = true;
      return null;
    }
    if (typeof data !== 'object' || (data as { format?: unknown }).format !== STATE_FORMAT) {
      throw new StoreLoadError(`Data file ${this.path} is not an edu-workspace-emulator state file (no "format": "${STATE_FORMAT}"). ${recover}`);
    }
    const doc = data as Record<string, unknown>;
    const own = bytes !== undefined && markHolds(bytes, doc, stateFingerprint());
    const from = typeof doc[JOURNAL_FROM_KEY] === 'number' ? (doc[JOURNAL_FROM_KEY] as number) : 0;
    delete doc[JOURNAL_FROM_KEY];
    delete doc[INTEGRITY_KEY];
    bytes = undefined;
    this.lastSnapshotBytes = size;

    const replay = new Replay(doc);
    const live = segments.filter((n) => n >= from);
    for (const n of segments) if (n < from) this.removeSegment(n);
    for (const n of live) {
      const file = this.segmentPath(n);
      const bytes = await readFile(file);
      const { records, goodBytes, torn } = decodeRecords(bytes);
      for (const r of records) replay.apply(r.ops);
      this.recordNo = Math.max(this.recordNo, records[records.length - 1]?.n ?? 0);
      this.replayedBytes += goodBytes;
      if (torn) {
        this.warn(`journal ${file}: dropped ${torn} at byte ${goodBytes} (a write cut short by a crash; it was never acknowledged)`);
        const fh = await open(file, 'r+');
        await fh.truncate(goodBytes);
        await fh.close();
      }
    }
    // Journal records are checked by their CRC-32 and were written from a checked state: over a
    // snapshot of our own, the result is ours too.
    const parsed = own ? parseOwnState(replay.finish()) : parseState(replay.finish());
    this.loadCheck = own ? 'own' : 'full';
    if (!parsed.ok) {
      throw new StoreLoadError(`Data file ${this.path} does not hold a valid state: ${parsed.issues.join('; ')}. ${recover}`);
    }
    this.segment = live.length > 0 ? live[live.length - 1]! : from;
    await this.openSegment(this.segment);
    this.loaded = true;
    return parsed.state;
  }

  private removeSegment(n: number): void {
    try {
      unlinkSync(this.segmentPath(n));
    } catch {
      // Gone already.
    }
  }

  private async openSegment(n: number): Promise<void> {
    const handle = await open(this.segmentPath(n), constants.O_CREAT | constants.O_WRONLY, 0o600);
    const { size } = await handle.stat();
    this.handle = handle;
    this.segment = n;
    this.segmentBytes = size;
  }

  /** Starts the next segment: records from here on are replayed over a snapshot taken now. */
  private async rotate(): Promise<number> {
    const old = this.handle;
    this.handle = undefined;
    if (old) {
      if (this.fsync !== 'never') await old.datasync().catch(() => {});
      await old.close().catch(() => {});
    }
    this.unsynced = false;
    await this.openSegment(this.segment + 1);
    return this.segment;
  }

  protected override needsWrite(): boolean {
    return this.snapshotNeeded && this.loaded && !this.closed;
  }

  protected override async persist(batch: ReturnType<StateTracker['take']>['batch']): Promise<void> {
    if (!this.loaded) throw new Error(`the data file ${this.path} was not loaded; refusing to overwrite it`);
    if (this.closed) throw new Error(`the store of ${this.path} is closed`);
    if (batch.root || this.snapshotNeeded) {
      // The whole state changed (an import, a reset, a new file): a full snapshot is the record.
      if (this.background) this.background.failed = true;
      await this.writeSnapshot();
      this.snapshotNeeded = false;
      return;
    }
    if (batch.ops.length === 0) return;
    const data = encodeRecord(++this.recordNo, batch.ops);
    if (!this.handle) await this.openSegment(this.segment);
    const at = this.segmentBytes;
    try {
      await this.io.write(this.handle!, data, at);
    } catch (e) {
      // Leave no torn record behind for later records to hide behind.
      await this.handle!.truncate(at).catch(() => {});
      this.recordNo--;
      throw e;
    }
    this.segmentBytes = at + data.length;
    if (this.fsync === 'always') await this.handle!.datasync();
    else if (this.fsync === 'interval') this.scheduleSync();
  }

  private scheduleSync(): void {
    this.unsynced = true;
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      if (!this.unsynced || !this.handle) return;
      this.unsynced = false;
      this.handle.datasync().catch((e: unknown) => this.warn(`could not flush the journal to disk: ${describe(e)}`));
    }, FSYNC_INTERVAL_MS);
    this.syncTimer.unref();
  }

  protected override onFailure(): void {
    if (this.background) this.background.failed = true;
  }

  private get snapshotThreshold(): number {
    return this.snapshotBytesOption ?? Math.max(SNAPSHOT_MIN_BYTES, this.lastSnapshotBytes);
  }

  protected override async betweenBatches(): Promise<void> {
    if (this.background || this.closed || this.segmentBytes < this.snapshotThreshold) return;
    const run: SnapshotRun = { failed: false, done: Promise.resolve() };
    this.background = run;
    let started: SnapshotStart;
    try {
      started = await this.beginSnapshot();
    } catch (e) {
      this.background = undefined;
      this.warn(`could not start a snapshot of ${this.path} (the journal keeps every change): ${describe(e)}`);
      return;
    }
    run.done = this.finishSnapshot(started, run)
      .catch((e: unknown) => {
        if (!run.failed) this.warn(`could not write a snapshot of ${this.path} (the journal keeps every change): ${describe(e)}`);
      })
      .finally(() => {
        if (this.background === run) this.background = undefined;
      });
  }

  private async writeSnapshot(): Promise<void> {
    await this.finishSnapshot(await this.beginSnapshot());
  }

  /**
   * Opens a view of the state as it is at this moment and starts the next journal segment.
   * Called between batches, so the view, the rotation and the batch boundary are one moment.
   */
  private async beginSnapshot(): Promise<SnapshotStart> {
    const tracker = this.host!.tracker;
    const view = tracker.openView();
    const start = { view, version: tracker.version, from: this.segment + 1 };
    try {
      await this.rotate();
    } catch (e) {
      tracker.closeView(view);
      throw e;
    }
    return start;
  }

  /**
   * Writes the view to a temp file in slices, then renames it over the state file and deletes
   * the journal segments it covers.
   */
  private async finishSnapshot({ view, version: versionAtView, from }: SnapshotStart, run?: SnapshotRun): Promise<void> {
    const tracker = this.host!.tracker;
    const tmp = `${this.path}.tmp-${process.pid}-${++this.tmpCounter}`;
    let fh: FileHandle | undefined;
    try {
      const { stateFingerprint } = await loadStateChecks();
      fh = await open(tmp, constants.O_CREAT | constants.O_TRUNC | constants.O_WRONLY, 0o600);
      let written = 0;
      const handle = fh;
      const hash = createHash('sha256');
      let sealed = false;
      await serializeView(
        view,
        {
          async write(text) {
            if (run?.failed) throw new Error('snapshot abandoned');
            const buf = Buffer.from(text);
            if (!sealed) hash.update(buf);
            await handle.write(buf, 0, buf.length, written);
            written += buf.length;
          },
        },
        { [JOURNAL_FROM_KEY]: from },
        {
          trailer: () => {
            sealed = true;
            return integrityTrailer({ sha256: hash.digest('hex'), schema: stateFingerprint() });
          },
        },
      );
      await fh.datasync();
      await fh.close();
      fh = undefined;
      // Changes made before the view opened but not yet journaled must be saved before the
      // snapshot that holds them stands in for the journal.
      if (run) {
        await this.commit().catch(() => {});
        if (run.failed || this.durableVersion < versionAtView) throw new Error('snapshot abandoned');
      }
      // Check and rename in one turn of the event loop: a later snapshot cannot slip between.
      renameSync(tmp, this.path);
      for (const n of this.listSegments()) if (n < from) this.removeSegment(n);
      await syncDir(dirname(this.path));
      this.lastSnapshotBytes = written;
      this.snapshots++;
    } catch (e) {
      if (fh) await fh.close().catch(() => {});
      try {
        unlinkSync(tmp);
      } catch {
        // Never created.
      }
      throw e;
    } finally {
      tracker.closeView(view);
    }
  }

  async flush(): Promise<void> {
    if (!this.loaded) throw new Error(`the data file ${this.path} was not loaded; refusing to overwrite it`);
    await this.commit();
    await this.whenIdle();
    if (this.background) await this.background.done;
    if (!this.loaded || this.closed) return;
    if (this.segmentBytes === 0 && !this.snapshotNeeded && this.snapshots > 0) return;
    this.snapshotNeeded = true;
    await this.commit();
  }

  /**
   * Replaces a stopped store's state (offline import): the lock is taken, the state written as a
   * snapshot that no earlier journal segment applies to, and the lock released.
   */
  async replaceOffline(tracker: StateTracker): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    this.lock.acquire();
    try {
      const segments = this.listSegments();
      this.segment = segments.length > 0 ? segments[segments.length - 1]! : 0;
      this.loaded = true;
      this.snapshotNeeded = true;
      this.attach({ tracker, afterRollback() {} });
      await this.commit();
    } finally {
      await this.close();
    }
  }

  /** Lets go of the data file without writing anything (after an offline export). */
  async release(): Promise<void> {
    this.closed = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    await this.handle?.close().catch(() => {});
    this.handle = undefined;
    this.lock.release();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.loaded && this.host) {
        await this.commit().catch(() => {});
        await this.whenIdle();
        if (this.background) await this.background.done;
        if (this.segmentBytes > 0 || this.snapshotNeeded) {
          this.snapshotNeeded = true;
          await this.commit();
        }
      }
    } finally {
      this.closed = true;
      if (this.syncTimer) clearTimeout(this.syncTimer);
      if (this.handle) {
        await this.handle.datasync().catch(() => {});
        await this.handle.close().catch(() => {});
        this.handle = undefined;
      }
      this.lock.release();
    }
  }
}

/** Makes a rename in `dir` durable (off the event loop: it can take long on a busy disk). */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse to sync a folder; the rename is still atomic.
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** The segments' folder and names, for tools and tests. */
export function journalSegments(path: string): string[] {
  const full = resolve(path);
  const prefix = `${basename(full)}.journal.`;
  try {
    return readdirSync(dirname(full))
      .filter((n) => n.startsWith(prefix))
      .map((n) => join(dirname(full), n));
  } catch {
    return [];
  }
}

export type { StateView };
