// Test support for the fuzz suite: one printed seed per run (FUZZ_SEED replays it), bounded run
// counts (FUZZ_RUNS scales them), and fast-check arbitraries generated from the JSON Schemas of
// the OpenAPI document, so generated bodies follow the document the server publishes.
import fc from 'fast-check';

const fromEnv = Number(process.env.FUZZ_SEED);
/** The seed of this run: FUZZ_SEED when set, else a fresh one (printed by each fuzz file). */
export const FUZZ_SEED = Number.isSafeInteger(fromEnv) && process.env.FUZZ_SEED !== '' ? fromEnv : Math.floor(Math.random() * 2 ** 31);
const scale = Number(process.env.FUZZ_RUNS_SCALE ?? '1');

/** Options for fc.assert: the shared seed, `runs` scaled by FUZZ_RUNS_SCALE. */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(runs * (Number.isFinite(scale) && scale > 0 ? scale : 1))) };
}

/** Prints the seed once per file, with the command that replays it. */
export function announceSeed(file: string): void {
  process.stdout.write(`fuzz ${file}: seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} npx vitest run ${file})\n`);
}

/** A request as the fuzz suite sends it; printed as the minimal failing case. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A readable line for a request (what a failure prints after shrinking). */
export function describeRequest(r: FuzzRequest): string {
  const body = r.body === undefined ? '' : ` body=${r.body.length > 2000 ? `${r.body.slice(0, 2000)}… (${r.body.length} chars)` : r.body}`;
  return `${r.method} ${r.path}${r.headers ? ` headers=${JSON.stringify(r.headers)}` : ''}${body}`;
}

type Schema = Record<string, any>;

/** Strings that tend to break parsers and lookups; mixed into every generated string. */
export const NASTY_STRINGS = ['', ' ', '__proto__', 'constructor', 'toString', '..', '%', '%2F', 'ü', '\u0000', '😀', 'a'.repeat(300), '<x>', '"', '\\', 'null', '-1', '1e309', 'NaN'];

/** Any JSON value, small. */
export const smallJson = fc.jsonValue({ maxDepth: 2, depthSize: 'small' });

function stringFor(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 24, 64));
  switch (schema.format) {
    case 'email':
      return fc.oneof(fc.emailAddress(), fc.domain().map((d) => `user@${d}`));
    case 'hostname':
      return fc.domain();
    case 'uri':
      return fc.webUrl();
    case 'date-time':
      return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
  return fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) }, { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity)) });
}

/** An arbitrary for values that a JSON Schema (the subset zod emits) describes as valid. */
export function arbitraryFor(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return smallJson;
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return fc.oneof(...alternatives.map((s: Schema) => arbitraryFor(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1e9), max: Math.min(schema.maximum ?? 1000, 1e9) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true, noDefaultInfinity: true });
    case 'array':
      return fc.array(arbitraryFor(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)) });
    case 'object': {
      const props: Record<string, Schema> = schema.properties ?? {};
      if (Object.keys(props).length === 0 && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(schema.propertyNames ? stringFor(schema.propertyNames) : fc.string({ minLength: 1, maxLength: 12 }), arbitraryFor(schema.additionalProperties, depth + 1), { maxKeys: 3 });
      }
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) record[k] = arbitraryFor(s, depth + 1);
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k: string) => k in props) });
    }
  }
  return smallJson;
}

/** A JSON body changed so that it probably no longer fits its schema (the caller checks). */
export function mutatedBody(valid: unknown): fc.Arbitrary<unknown> {
  const obj = valid !== null && typeof valid === 'object' && !Array.isArray(valid) ? (valid as Record<string, unknown>) : {};
  const keys = Object.keys(obj);
  const options: fc.Arbitrary<unknown>[] = [
    fc.oneof(fc.constant(null), fc.constant([]), fc.integer(), fc.string(), fc.boolean(), fc.array(smallJson, { maxLength: 3 })),
    smallJson.map((v) => ({ ...obj, __unknownField: v })),
  ];
  if (keys.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...keys), smallJson).map(([k, v]) => ({ ...obj, [k]: v })),
      fc.tuple(fc.constantFrom(...keys), fc.constantFrom(null, 0, -1, 1e308, '', [], {}, true, 'x'.repeat(5000))).map(([k, v]) => ({ ...obj, [k]: v })),
      fc.constantFrom(...keys).map((k) => {
        const copy = { ...obj };
        delete copy[k];
        return copy;
      }),
    );
  }
  return fc.oneof(...options);
}
