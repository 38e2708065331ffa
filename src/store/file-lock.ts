// One process per data file: an exclusive lock file beside it (created with O_EXCL) holding the
// owner's PID. A lock whose process is gone is stale and taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, constants } from 'node:fs';
import { StoreLoadError } from './store-errors.js';

export class FileLock {
  private held = false;

  constructor(
    readonly path: string,
    /** The data file the lock guards (named in messages). */
    private readonly dataFile: string,
  ) {}

  /** Takes the lock or throws StoreLoadError naming the process that holds it. */
  acquire(): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        this.held = true;
        return;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') throw new StoreLoadError(`Cannot create the lock file ${this.path} (${code}). Start with --data OTHER_FILE or --memory.`);
      }
      const owner = this.owner();
      if (owner !== null && alive(owner)) {
        throw new StoreLoadError(
          `data file ${this.dataFile} is in use by process ${owner}; stop it, or start with --data OTHER_FILE or --memory`,
        );
      }
      // Stale: its process is gone (or it never got its PID written). Take it over.
      try {
        unlinkSync(this.path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    throw new StoreLoadError(`Could not take the lock file ${this.path}; another process keeps creating it. Start with --data OTHER_FILE or --memory.`);
  }

  private owner(): number | null {
    try {
      const text = readFileSync(this.path, 'utf8').trim();
      return /^\d+$/.test(text) ? Number(text) : null;
    } catch {
      return null;
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      if (this.owner() === process.pid) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
