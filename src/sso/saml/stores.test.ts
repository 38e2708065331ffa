// The in-memory request-id store and replay cache, on a movable emulator clock.

import { describe, expect, it } from 'vitest';
import { OffsetClock } from '../../clock.js';
import { InMemoryReplayCache, InMemoryRequestIdStore } from './stores.js';

describe('InMemoryRequestIdStore', () => {
  it('consumes an id once, and forgets it after its time to live', () => {
    const clock = new OffsetClock();
    const store = new InMemoryRequestIdStore(clock, 60_000);
    store.remember('_a');
    store.remember('_b');
    expect(store.consume('_a')).toBe(true);
    expect(store.consume('_a')).toBe(false);
    clock.advance(60_000);
    expect(store.consume('_b')).toBe(false);
    expect(store.size).toBe(0);
  });
});

describe('InMemoryReplayCache', () => {
  it('refuses an id seen before, until it expires, and prunes expired ids', () => {
    const clock = new OffsetClock();
    const cache = new InMemoryReplayCache(clock);
    const until = clock.nowMs() + 120_000;
    expect(cache.remember('_x', until)).toBe(true);
    expect(cache.remember('_x', until)).toBe(false);
    expect(cache.remember('_y', clock.nowMs() + 10_000)).toBe(true);
    clock.advance(10_000);
    expect(cache.size).toBe(1);
    clock.advance(110_000);
    expect(cache.size).toBe(0);
    expect(cache.remember('_x', clock.nowMs() + 1)).toBe(true);
  });
});
