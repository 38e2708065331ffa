// What a console form does: read its fields, call the emulator's API, and say what happened in a
// message for the page it returns to (post/redirect/get).
import { ApiRefusal } from './admin-api.js';
import type { Flash } from './flash.js';
import type { PageContext } from './layout.js';
import { plainRefusal } from './plain-words.js';

/** A submitted form's fields. */
export interface FormFields {
  get(name: string): string | undefined;
  all(name: string): string[];
  /** A file field's text (an uploaded file), when one was sent. */
  file(name: string): Promise<string | undefined>;
}

export interface ActionResult {
  flash: Flash;
  /** Where to go back to (under the console); the action's own page by default. */
  back?: string;
}

export type Action = (ctx: PageContext, form: FormFields) => Promise<ActionResult | Flash>;

/** Reads a form body (urlencoded or multipart). */
export async function readForm(body: Record<string, string | File | (string | File)[]>): Promise<FormFields> {
  const values = (name: string): (string | File)[] => {
    const v = body[name] ?? body[`${name}[]`];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  return {
    get: (name) => {
      const v = values(name).find((x): x is string => typeof x === 'string');
      return v === undefined || v.trim() === '' ? undefined : v.trim();
    },
    all: (name) => values(name).filter((x): x is string => typeof x === 'string' && x !== ''),
    file: async (name) => {
      const f = values(name).find((x): x is File => typeof x !== 'string');
      if (!f || f.size === 0) return undefined;
      return await f.text();
    },
  };
}

/** A refusal from the API (or a missing field) as a message that says what to do. */
export function refusalFlash(e: unknown): Flash {
  if (e instanceof ApiRefusal) return { tone: 'error', text: plainRefusal(e.code, e.detail, e.status), code: e.code, developer: `HTTP ${e.status}: ${e.detail}` };
  if (e instanceof FormProblem) return { tone: 'error', text: e.message };
  throw e;
}

/** A form that cannot be sent as it is (a required field left empty). */
export class FormProblem extends Error {}

export function required(form: FormFields, name: string, what: string): string {
  const v = form.get(name);
  if (v === undefined) throw new FormProblem(`Fill in ${what}.`);
  return v;
}
