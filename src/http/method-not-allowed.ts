// A request whose path the router knows under other methods is answered 405 with an `Allow`
// header (RFC 9110 §15.5.6, §10.2.1) instead of 404. Only consulted when no route matched.
import { EmulatorError } from '../errors.js';

interface RouteLike {
  method: string;
  path: string;
}

/** Turns a Hono path pattern (`/w/:ws/scim/v2/Users/:id`, `:id{[0-9]+}`, `*`) into a RegExp. */
function patternOf(path: string): RegExp {
  let out = '';
  for (const part of path.split(/(:\w+(?:\{[^}]*\})?|\*)/)) {
    if (part === '') continue;
    if (part === '*') out += '.*';
    else if (part.startsWith(':')) {
      const custom = /\{([^}]*)\}$/.exec(part)?.[1];
      out += custom ? `(?:${custom})` : '[^/]+';
    } else out += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}/?$`);
}

/** Finds, for a path, the methods the routes serve it with; built once from the app's route list. */
export class AllowedMethods {
  private compiled: { method: string; pattern: RegExp }[] | undefined;

  constructor(private readonly routes: () => readonly RouteLike[]) {}

  /** The methods that have a route for this path (HEAD with GET), sorted; empty when none. */
  for(path: string): string[] {
    // Catch-all handlers (`ALL`) and middleware match every method, so they never decide a 405.
    this.compiled ??= this.routes()
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method.toUpperCase(), pattern: patternOf(r.path) }));
    const methods = new Set<string>();
    for (const r of this.compiled) if (r.pattern.test(path)) methods.add(r.method);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

/** The 405 for a path served under other methods; the `Allow` header goes in details.allow. */
export function methodNotAllowed(method: string, path: string, allow: string[]): EmulatorError {
  return new EmulatorError({
    code: 'method_not_allowed',
    status: 405,
    message: `${method} is not allowed on ${path}; this path answers ${allow.join(', ')}.`,
    details: { allow },
  });
}
