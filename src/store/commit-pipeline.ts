// The store interface, the commit pipeline both stores share (group commit) and the memory store,
// apart from the durable store's files and checks: `--memory` starts without loading those.
import type { EmulatorState } from './state.js';
import { storeUnavailable } from './store-errors.js';
import type { StateTracker } from './tracked-state.js';

/** When the durable store's journal reaches the disk (`--fsync`). */
export const FSYNC_MODES = ['always', 'interval', 'never'] as const;
export type FsyncMode = (typeof FSYNC_MODES)[number];

/** What the store needs from the emulator it keeps. */
export interface StoreHost {
  tracker: StateTracker;
  /** Rebuilds what is derived from the state (indexes, clocks) after a change was taken back. */
  afterRollback(): void;
}

export interface StateStore {
  /** Human description for start-up output (`memory`, or the file path and fsync mode). */
  readonly description: string;
  /** The saved state, or null when there is none yet. Throws StoreLoadError when unusable. */
  load(): Promise<EmulatorState | null>;
  /** Connects the store to the emulator whose changes it keeps. */
  attach(host: StoreHost): void;
  /**
   * Resolves once every change made so far is saved (in the journal, or nothing to save in
   * memory); rejects with a 503 `store_unavailable` EmulatorError when it could not be, in which
   * case the changes were taken back.
   */
  commit(): Promise<void>;
  /** Writes a snapshot now (the journal is folded into the state file); no-op in memory. */
  flush(): Promise<void>;
  /** Saves what is pending, writes a last snapshot, releases the lock. */
  close(): Promise<void>;
}

interface Waiter {
  version: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * The commit pipeline shared by both stores: batches of changes are taken from the tracker and
 * handed to `persist`; callers wait on `commit()` (group commit: one write for all who wait).
 */
export abstract class CommitPipeline implements StateStore {
  abstract readonly description: string;
  protected host: StoreHost | undefined;
  private waiters: Waiter[] = [];
  protected durableVersion = 0;
  private running = false;
  private scheduled = false;
  private idle: Array<() => void> = [];
  /** False in memory: batches carry no ops (nothing reads them). */
  protected abstract readonly encode: boolean;

  abstract load(): Promise<EmulatorState | null>;
  protected abstract persist(batch: ReturnType<StateTracker['take']>['batch']): Promise<void>;
  /** Called when a batch failed and was taken back. */
  protected onFailure(): void {}
  /** Work to do between batches (start a snapshot): no batch is being written meanwhile. */
  protected async betweenBatches(): Promise<void> {}
  protected needsWrite(): boolean {
    return false;
  }

  attach(host: StoreHost): void {
    this.host = host;
    host.tracker.journaling = true;
    host.tracker.keepsOps = this.encode;
    this.durableVersion = host.tracker.version;
    host.tracker.onDirty = () => this.schedule();
    if (this.needsWrite()) this.schedule();
  }

  commit(): Promise<void> {
    const tracker = this.host?.tracker;
    if (!tracker) return Promise.resolve();
    const version = tracker.version;
    if (version <= this.durableVersion && !this.running && !this.needsWrite()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ version, resolve, reject });
      this.schedule();
    });
  }

  protected schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => void this.run());
  }

  /** Resolves when no batch is being written. */
  protected whenIdle(): Promise<void> {
    if (!this.running && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    if (this.running || !this.host) return;
    this.running = true;
    const tracker = this.host.tracker;
    try {
      while (tracker.pending || this.needsWrite()) {
        const { batch, undo } = tracker.take(this.encode);
        try {
          await this.persist(batch);
          this.durableVersion = batch.version;
          if (!tracker.health.ok) tracker.health = { ok: true };
          this.settle(batch.version, null);
        } catch (e) {
          const reason = describe(e);
          tracker.rollback([undo]);
          this.host.afterRollback();
          tracker.health = { ok: false, reason: `the journal could not be written (${reason}); changes are refused until a write succeeds` };
          process.stderr.write(`edu-emulator: could not save a change, it was taken back: ${reason}\n`);
          this.durableVersion = tracker.version;
          this.onFailure();
          this.settle(Infinity, storeUnavailable(`the journal could not be written (${reason})`));
        }
        await this.betweenBatches().catch(() => {});
      }
    } finally {
      this.running = false;
      this.settle(this.durableVersion, null);
      if (tracker.pending) this.schedule();
      else for (const done of this.idle.splice(0)) done();
    }
  }

  private settle(upTo: number, error: Error | null): void {
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.version <= upTo) {
        if (error) w.reject(error);
        else w.resolve();
      } else keep.push(w);
    }
    this.waiters = keep;
  }

  abstract flush(): Promise<void>;
  abstract close(): Promise<void>;
}

/** An I/O error in a few words (its code first). */
export function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code && !err.message.startsWith(err.code)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(e);
}

/** Keeps nothing: state lives and dies with the process (`--memory`, tests). Same commit path. */
export class MemoryStore extends CommitPipeline {
  readonly description = 'memory (nothing is saved)';
  protected readonly encode = false;
  async load() {
    return null;
  }
  protected async persist() {}
  async flush() {
    await this.commit();
  }
  async close() {
    await this.commit().catch(() => {});
  }
}
