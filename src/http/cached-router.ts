// Hono's default router with the last routing decisions kept: the app's routes make Hono fall back
// to its trie router, whose search walks every middleware pattern on each request.
import type { Result, Router } from 'hono/router';
import { TwoStepRouter } from './two-step-router.js';

/** How many (method, path) decisions are kept; the oldest goes first. */
export const ROUTE_CACHE_SIZE = 2_000;
/** Longer paths are routed every time: the cache stays under a megabyte whatever is sent. */
const MAX_CACHED_PATH = 256;

/**
 * The router `new Hono()` builds (SmartRouter over RegExpRouter and TrieRouter, here in its
 * two-step form that takes routes after a match), remembering the result for each method and path. A result is a pure function of the routes, the method and the
 * path; Hono only reads it. Adding a route forgets every decision.
 */
export class CachedRouter<T> implements Router<T> {
  readonly name = 'CachedRouter';
  private readonly inner: Router<T> = new TwoStepRouter<T>();
  private readonly cache = new Map<string, Result<T>>();

  add(method: string, path: string, handler: T): void {
    this.cache.clear();
    this.inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    if (path.length > MAX_CACHED_PATH) return this.inner.match(method, path);
    const key = `${method} ${path}`;
    let result = this.cache.get(key);
    if (result === undefined) {
      result = this.inner.match(method, path);
      if (this.cache.size >= ROUTE_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, result);
    }
    return result;
  }
}
