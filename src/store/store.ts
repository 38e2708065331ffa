// Where the state lives between runs. A small interface so that the coalesced whole-state flush
// below can be replaced by a journal-based durable store without touching the rest.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { STATE_FORMAT, parseState, type EmulatorState } from './state.js';

export interface StateStore {
  /** Human description for start-up output (`memory`, or the file path). */
  readonly description: string;
  /** The saved state, or null when there is none yet. Throws StoreLoadError when unusable. */
  load(): Promise<EmulatorState | null>;
  /** Gives the store the function that produces the state to save. */
  attach(snapshot: () => EmulatorState): void;
  /** Notes that the state changed; the store decides when to write. */
  changed(): void;
  /** Writes whatever is pending and resolves when it is on disk. */
  flush(): Promise<void>;
  /** Flushes and stops timers. */
  close(): Promise<void>;
}

/** A data file that cannot be used; the message says which file and how to recover. */
export class StoreLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreLoadError';
  }
}

/** Keeps nothing: state lives and dies with the process (`--memory`, tests). */
export class MemoryStore implements StateStore {
  readonly description = 'memory (nothing is saved)';
  async load() {
    return null;
  }
  attach() {}
  changed() {}
  async flush() {}
  async close() {}
}

export const FLUSH_DELAY_MS = 100;

/**
 * A lowdb JSON file: changes are coalesced into one write at most every FLUSH_DELAY_MS, each
 * write atomic (lowdb's steno writer: temp file, then rename), and a final flush on close.
 */
export class JsonFileStore implements StateStore {
  readonly path: string;
  readonly description: string;
  private readonly db: Low<EmulatorState | null>;
  private snapshot: (() => EmulatorState) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private loaded = false;
  /** How many writes reached the file (coalescing keeps this far below the number of changes). */
  writes = 0;

  constructor(path: string, private readonly delayMs = FLUSH_DELAY_MS) {
    this.path = resolve(path);
    this.description = this.path;
    this.db = new Low<EmulatorState | null>(
      new DataFile<EmulatorState | null>(this.path, {
        parse: (text) => JSON.parse(text) as EmulatorState,
        stringify: (data) => `${JSON.stringify(data)}\n`,
      }),
      null,
    );
  }

  async load(): Promise<EmulatorState | null> {
    const recover = `Nothing was changed. Move the file away, or start with --data OTHER_FILE or --memory.`;
    try {
      const st = await stat(this.path);
      if (!st.isFile()) throw new StoreLoadError(`Data file ${this.path} is not a regular file. ${recover}`);
    } catch (e) {
      if (e instanceof StoreLoadError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new StoreLoadError(`Cannot read data file ${this.path} (${code}). ${recover}`);
    }
    try {
      await this.db.read();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (e instanceof SyntaxError) {
        throw new StoreLoadError(`Data file ${this.path} is not valid JSON (${e.message}); it may be corrupt. ${recover}`);
      }
      throw new StoreLoadError(`Cannot read data file ${this.path} (${code ?? String(e)}). ${recover}`);
    }
    const data: unknown = this.db.data;
    if (data === null || data === undefined) {
      await mkdir(dirname(this.path), { recursive: true });
      this.loaded = true;
      return null;
    }
    if (typeof data !== 'object' || (data as { format?: unknown }).format !== STATE_FORMAT) {
      throw new StoreLoadError(
        `Data file ${this.path} is not an edu-workspace-emulator state file (no "format": "${STATE_FORMAT}"). ${recover}`,
      );
    }
    const parsed = parseState(data);
    if (!parsed.ok) {
      throw new StoreLoadError(`Data file ${this.path} does not hold a valid state: ${parsed.issues.join('; ')}. ${recover}`);
    }
    this.loaded = true;
    return parsed.state;
  }

  attach(snapshot: () => EmulatorState): void {
    this.snapshot = snapshot;
  }

  changed(): void {
    this.dirty = true;
    if (!this.timer) this.timer = setTimeout(() => void this.flush().catch(reportFlushError), this.delayMs);
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.loaded) throw new Error(`JsonFileStore(${this.path}) was not loaded; refusing to overwrite it.`);
    if (this.dirty && this.snapshot) {
      this.dirty = false;
      this.db.data = this.snapshot();
      // steno keeps only the newest pending write, so back-to-back flushes coalesce too.
      this.writes++;
      this.writing = this.db.write();
    }
    await this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

function reportFlushError(e: unknown) {
  process.stderr.write(`edu-emulator: could not save state: ${e instanceof Error ? e.message : String(e)}\n`);
}
