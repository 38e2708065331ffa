// Hono's default router (SmartRouter over RegExpRouter and TrieRouter) for an app whose routes come
// in two steps: health first, the rest once loaded (src/app.ts). Hono's own router refuses routes
// after its first match; this one builds its matcher again when routes came after it.
import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

export class TwoStepRouter<T> implements Router<T> {
  readonly name = 'TwoStepRouter';
  private readonly routes: [method: string, path: string, handler: T][] = [];
  private matcher: Router<T> | undefined;

  add(method: string, path: string, handler: T): void {
    this.routes.push([method, path, handler]);
    this.matcher = undefined;
  }

  match(method: string, path: string): Result<T> {
    if (!this.matcher) {
      const matcher = new SmartRouter<T>({ routers: [new RegExpRouter(), new TrieRouter()] });
      for (const [m, p, h] of this.routes) matcher.add(m, p, h);
      this.matcher = matcher;
    }
    return this.matcher.match(method, path);
  }
}
