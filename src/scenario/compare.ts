// `expect` compared field by field: objects partially (only the fields named), arrays element by
// element and of the same length, everything else exactly.
export interface Difference {
  /** Dotted path of the field, e.g. `body.totalResults` or `reason`. */
  path: string;
  expected: unknown;
  actual: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function compare(expected: unknown, actual: unknown, path = ''): Difference[] {
  if (isObject(expected)) {
    if (!isObject(actual)) return [{ path: path || '(result)', expected, actual }];
    return Object.entries(expected).flatMap(([k, v]) => compare(v, actual[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [{ path: path || '(result)', expected, actual }];
    return expected.flatMap((v, i) => compare(v, actual[i], `${path}[${i}]`));
  }
  return Object.is(expected, actual) || (expected === null && actual === undefined) ? [] : [{ path: path || '(result)', expected, actual }];
}

/** Reads `body.Resources[0].id`-style paths out of a result. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || current === undefined) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Replaces `${name}` in every string of a value with the variable's value. */
export function interpolate<T>(value: T, vars: Record<string, unknown>): T {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z_]\w*)\}$/.exec(value);
    if (whole && whole[1]! in vars) return vars[whole[1]!] as T;
    return value.replace(/\$\{([A-Za-z_]\w*)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) as T;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars)) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)])) as T;
  return value;
}
