// The emulator clock: every time-based rule reads it, never Date.now directly, so tests and
// scenarios can move time (`POST /_emulator/clock`). A clock is real time plus an offset.

export interface Clock {
  /** Current emulator time. */
  now(): Date;
  /** Current emulator time in milliseconds since the epoch. */
  nowMs(): number;
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
