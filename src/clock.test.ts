import { describe, expect, it } from 'vitest';
import { OffsetClock, isoTime, parseDuration } from './clock.js';

describe('parseDuration', () => {
  it.each([
    ['8d', 8 * 86_400_000],
    ['90m', 90 * 60_000],
    ['1h30m', 90 * 60_000],
    ['45s', 45_000],
    ['-1h', -3_600_000],
    ['1.5h', 5_400_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '8', 'd', '8 days', '8w', '1h 30m', 'abc'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('OffsetClock', () => {
  it('advances and sets relative to real time, and a child clock follows its parent', () => {
    const parent = new OffsetClock();
    const child = new OffsetClock(0, parent);
    const before = Date.now();
    parent.advance(86_400_000);
    expect(child.nowMs() - before).toBeGreaterThanOrEqual(86_400_000);
    child.set(new Date('2030-01-01T00:00:00Z'));
    expect(Math.abs(child.nowMs() - Date.parse('2030-01-01T00:00:00Z'))).toBeLessThan(1_000);
    expect(Math.abs(parent.nowMs() - (Date.now() + 86_400_000))).toBeLessThan(1_000);
  });
});

describe('isoTime', () => {
  it('formats each reading as Date#toISOString does, the same reading twice and readings taking turns', () => {
    const readings = [0, 1, 1, Date.UTC(2030, 0, 2, 3, 4, 5, 6), 1, Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(2030, 0, 2, 3, 4, 5, 7)];
    for (const ms of readings) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('is what a clock reads, moved or not', () => {
    const clock = new OffsetClock(0);
    clock.set(new Date('2031-05-06T07:08:09.010Z'));
    const iso = clock.nowIso();
    expect(Math.abs(Date.parse(iso) - Date.parse('2031-05-06T07:08:09.010Z'))).toBeLessThan(60_000);
    clock.advance(86_400_000);
    expect(Date.parse(clock.nowIso()) - Date.parse(iso)).toBeGreaterThanOrEqual(86_400_000);
  });
});
