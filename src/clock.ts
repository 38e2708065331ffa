// The emulator clock: every time-based rule reads it, never Date.now directly, so tests and
// scenarios can move time (`POST /_emulator/clock`). A clock is real time plus an offset.

export interface Clock {
  /** Current emulator time. */
  now(): Date;
  /** Current emulator time in milliseconds since the epoch. */
  nowMs(): number;
}

// The last time formatted: the writes of one request (a record's created/updated times, its
// event's) read the clock within the same millisecond, and Date#toISOString was a third of a
// SCIM create's own work.
let lastMs = Number.NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, remembering the last one. */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

/**
 * The times the emulator clock may read: 1970-01-01 to the end of year 9999. Every clock move and
 * every imported offset is checked against this window, so that a date computed from the clock
 * (an expiry days or years later) always stays within what a JavaScript Date can hold
 * (±8.64e15 ms, ECMA-262 §21.4.1.1) and prints as a four-digit-year ISO 8601 time.
 */
export const CLOCK_MIN_MS = Date.UTC(1970, 0, 1);
export const CLOCK_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** True when a clock reading (ms since the epoch) is inside the window the emulator supports. */
export function clockInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= CLOCK_MIN_MS && ms <= CLOCK_MAX_MS;
}

/** A reading for messages: ISO 8601 when a Date can hold it, else a plain description. */
export function describeClockReading(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return ms < 0 ? 'before year -271821' : 'after year 275760';
  return new Date(ms).toISOString();
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses a duration such as `8d`, `90m`, `1h30m`, `45s` into milliseconds; null when invalid. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(-?\d+(\.\d+)?[smhd])+$/.test(trimmed)) return null;
  let total = 0;
  for (const m of trimmed.matchAll(/(-?\d+(?:\.\d+)?)([smhd])/g)) {
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  return Number.isFinite(total) ? Math.round(total) : null;
}

/** A clock whose offset from real time can be moved; the offset is what gets persisted. */
export class OffsetClock implements Clock {
  constructor(
    private offsetMs = 0,
    private readonly parent?: Clock,
  ) {}

  nowMs(): number {
    return (this.parent ? this.parent.nowMs() : Date.now()) + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Current emulator time as an ISO 8601 string (what the state and the journal store). */
  nowIso(): string {
    return isoTime(this.nowMs());
  }

  get offset(): number {
    return this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Sets the clock so that it reads `at` now. */
  set(at: Date): void {
    this.offsetMs += at.getTime() - this.nowMs();
  }

  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
}
