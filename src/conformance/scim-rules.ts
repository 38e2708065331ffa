// The SCIM rules (docs/conformance.md §3): what one SCIM request and its answer say about the IdP.
// Pure over the observation; the cost is the size of the request, never of the directory.
import { bareFilterValues } from '../scim/lenient.js';
import type { NewFinding } from './findings.js';
import { RULES_BY_ID } from './rules.js';

export interface ScimObservation {
  method: string;
  /** The path as the IdP sent it, e.g. `/w/default/scim/v2/users/`. */
  sentPath: string;
  /** The path as routed (lenient mode puts the endpoint in its RFC case). */
  routedPath: string;
  params: URLSearchParams;
  /** The parsed JSON body, when there was one. */
  body: unknown;
  status: number;
  /** The refusal, when the answer was an error. */
  error?: { code: string; scimType?: string; message: string };
  lenient: boolean;
  /** The time of the request (read only when a finding is added). */
  readonly at: string;
  /** Whether the SCIM User of this id is active after the request (undefined: no such User). */
  userActive: (id: string) => boolean | undefined;
  /** Whether a SCIM User of this id exists. */
  isUser: (id: string) => boolean;
  /** The email a User's attributes give when its member record follows userName instead (lenient mode). */
  sharedEmail: (id: string) => string | undefined;
  /** The answer's Location header (a create). */
  location?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const RESOURCE = /\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?$/;
const ENDPOINTS = ['Users', 'Groups', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas'];

function operations(body: unknown): Record<string, unknown>[] {
  if (!isObject(body)) return [];
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const ops = key === undefined ? undefined : body[key];
  return Array.isArray(ops) ? ops.filter(isObject) : [];
}

const field = (o: Record<string, unknown>, name: string) => {
  const key = Object.keys(o).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : o[key];
};
const isFalse = (v: unknown) => v === false || (typeof v === 'string' && v.toLowerCase() === 'false');
const isBoolString = (v: unknown) => typeof v === 'string' && /^(true|false)$/i.test(v);

/** True when the request sets a User inactive: PATCH `active` false in any form, or PUT `active: false`. */
export function isDeprovisioning(method: string, body: unknown): boolean {
  if (method === 'PUT') return isObject(body) && isFalse(field(body, 'active'));
  if (method !== 'PATCH') return false;
  return operations(body).some((op) => {
    const path = field(op, 'path');
    const value = field(op, 'value');
    if (typeof path === 'string') return path.trim().toLowerCase() === 'active' && isFalse(value);
    return isObject(value) && isFalse(field(value, 'active'));
  });
}

// Passwords in the body: a message that quotes the request never shows them.
function secretsOf(body: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [body];
  let budget = 10_000;
  while (stack.length > 0 && budget-- > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (isObject(v)) {
      for (const [k, item] of Object.entries(v)) {
        if (/password|secret|token/i.test(k) && typeof item === 'string' && item !== '') out.push(item);
        else if (typeof item === 'object') stack.push(item);
      }
      const path = field(v, 'path');
      if (typeof path === 'string' && /password/i.test(path) && typeof field(v, 'value') === 'string') out.push(field(v, 'value') as string);
    }
  }
  return out;
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out.length > 500 ? `${out.slice(0, 497)}...` : out;
}

/** Member values a group request names (POST/PUT `members`, PATCH adds to `members`). */
function memberValues(method: string, body: unknown): string[] {
  const values = (list: unknown) => (Array.isArray(list) ? list.flatMap((m) => (isObject(m) && typeof field(m, 'value') === 'string' ? [field(m, 'value') as string] : [])) : []);
  if (method === 'POST' || method === 'PUT') return isObject(body) ? values(field(body, 'members')) : [];
  return operations(body).flatMap((op) => {
    const kind = String(field(op, 'op') ?? '').toLowerCase();
    if (kind !== 'add' && kind !== 'replace') return [];
    const path = field(op, 'path');
    const value = field(op, 'value');
    if (typeof path === 'string') return path.trim().toLowerCase() === 'members' ? values(value) : [];
    return isObject(value) ? values(field(value, 'members')) : [];
  });
}

function refusalRule(o: ScimObservation): { rule: string; detail?: string | undefined } | undefined {
  const e = o.error;
  const scimType = e?.scimType;
  if (o.status === 401) return { rule: 'scim.auth.token' };
  if (o.status === 404 && (e === undefined || e.code === 'not_found')) return { rule: 'scim.path.unknown' };
  if (o.status === 405) return { rule: 'scim.path.unknown' };
  if (o.status === 404) return o.method === 'GET' ? undefined : { rule: 'scim.resource.not_found' };
  if (scimType === 'invalidFilter') {
    const filter = o.params.get('filter') ?? (isObject(o.body) && typeof field(o.body, 'filter') === 'string' ? (field(o.body, 'filter') as string) : '');
    const bare = bareFilterValues(filter).values;
    if (bare.length > 0) return { rule: 'scim.filter.unquoted_value', detail: `bare value ${bare.map((v) => JSON.stringify(v)).join(', ')}` };
    return { rule: 'scim.filter.invalid' };
  }
  if (scimType === 'invalidPath' || scimType === 'noTarget') return { rule: 'scim.patch.invalid_path' };
  if (e?.code === 'invalid_value' && /is not a User of this workspace's directory/.test(e.message)) return { rule: 'scim.group.member_not_user' };
  if (scimType === 'uniqueness') return { rule: 'scim.request.uniqueness' };
  if (o.status === 412) return { rule: 'scim.request.precondition' };
  if (o.status === 415) return { rule: 'scim.request.media_type' };
  if (o.status === 413 || scimType === 'tooMany' || scimType === 'tooLarge') return { rule: 'scim.request.too_large' };
  if (scimType === 'invalidSyntax') return { rule: 'scim.request.invalid_syntax' };
  if (scimType === 'invalidValue') return { rule: 'scim.request.invalid_value' };
  return { rule: 'scim.request.refused' };
}

/**
 * True for a request no rule below can find anything in: answered 2xx, in strict mode, on the path
 * as sent, without a value path in `attributes` or `excludedAttributes`, and either a GET or a POST
 * (a create, a search) whose body's text names neither of those two (the only part of such a body
 * a rule reads) and escapes no character that could spell them. Lets the observer skip the rules
 * for most reads and creates; keep it in step with `scimFindings` (its test compares the two over
 * generated requests).
 */
export function quietScimRequest(o: Pick<ScimObservation, 'method' | 'status' | 'lenient' | 'sentPath' | 'routedPath' | 'params'> & { bodyText?: string | undefined }): boolean {
  if (o.status < 200 || o.status >= 300 || o.lenient || o.sentPath !== o.routedPath) return false;
  const attributes = o.params.get('attributes');
  const excluded = o.params.get('excludedAttributes');
  if ((attributes !== null && attributes.includes('[')) || (excluded !== null && excluded.includes('['))) return false;
  if (o.method === 'GET') return true;
  return o.method === 'POST' && o.bodyText !== undefined && !/attributes|\\/i.test(o.bodyText);
}

/** The findings of one SCIM request. */
export function scimFindings(o: ScimObservation): NewFinding[] {
  const out: NewFinding[] = [];
  // Read when the first finding is added: most requests have none.
  let request: NewFinding['request'] | undefined;
  let secrets: string[] | undefined;
  const deprovisioning = isDeprovisioning(o.method, o.body);
  const add = (rule: string, outcome: NewFinding['outcome'], message: string, impact?: string) => {
    request ??= { method: o.method, path: o.sentPath, at: o.at, status: o.status };
    secrets ??= o.body === undefined ? [] : secretsOf(o.body);
    const fallback = RULES_BY_ID.get(rule)?.impact;
    const said = impact ?? fallback;
    out.push({ rule, outcome, message: redact(message, secrets), ...(said !== undefined ? { impact: said } : {}), request });
  };
  const resource = RESOURCE.exec(o.routedPath);
  const ok = o.status >= 200 && o.status < 300;

  // The path as sent, when lenient mode routed another.
  if (o.sentPath !== o.routedPath) {
    const endpoint = o.sentPath.split('/scim/v2/')[1]?.split('/')[0] ?? '';
    if (endpoint.toLowerCase() === 'serviceconfiguration') add('scim.discovery.alias', 'tolerated', `GET ${o.sentPath} was answered as /ServiceProviderConfig.`);
    else add('scim.path.case', 'tolerated', `${o.method} ${o.sentPath} was routed as ${o.routedPath}.`);
  }

  if (o.status >= 400 && o.status < 500) {
    const refusal = refusalRule(o);
    if (refusal) {
      // A filter on a password would quote it: such a refusal is named, never quoted.
      const filterText = o.params.get('filter') ?? (isObject(o.body) ? String(field(o.body, 'filter') ?? '') : '');
      const said = /password/i.test(filterText) ? 'the filter names a password attribute, so it is not quoted here' : (o.error?.message ?? 'no such endpoint');
      if (/password/i.test(filterText)) delete refusal.detail;
      let message = `${o.status}${o.error ? ` ${o.error.scimType ?? o.error.code}` : ''}: ${said}`;
      if (refusal.rule === 'scim.path.unknown') {
        const endpoint = o.sentPath.split('/scim/v2/')[1]?.split('/')[0] ?? '';
        const known = ENDPOINTS.find((e) => e.toLowerCase() === endpoint.toLowerCase() || (endpoint.toLowerCase() === 'serviceconfiguration' && e === 'ServiceProviderConfig'));
        const slash = o.sentPath.endsWith('/');
        if ((known && known !== endpoint) || slash) message += ` The endpoint is /${known ?? endpoint} (case-sensitive, no trailing slash); a workspace set to "scimCompatibility": "lenient" accepts this form.`;
      }
      if (refusal.detail) message = `${message} (${refusal.detail})`;
      add(refusal.rule, 'refused', message, deprovisioning ? 'the leaver stays active' : undefined);
    }
    return out;
  }
  if (!ok) return out;

  // Tolerances lenient mode applied, and shapes accepted as sent.
  const selection = ['attributes', 'excludedAttributes'].flatMap((k) => {
    const v = o.params.get(k) ?? (isObject(o.body) && o.method === 'POST' ? field(o.body, k.toLowerCase()) : undefined);
    return typeof v === 'string' && v.includes('[') ? [`${k}=${v}`] : Array.isArray(v) && v.some((s) => typeof s === 'string' && s.includes('[')) ? [`${k}=${v.join(',')}`] : [];
  });
  if (selection.length > 0) {
    add('scim.query.value_path_attribute', o.lenient ? 'tolerated' : 'observed', `${selection.join(' and ')}: ${o.lenient ? 'read as the attribute before "["' : 'names no attribute, so it was ignored'}.`);
  }
  if (o.lenient) {
    const filter = o.params.get('filter') ?? (isObject(o.body) && typeof field(o.body, 'filter') === 'string' ? (field(o.body, 'filter') as string) : undefined);
    const bare = filter === undefined ? [] : bareFilterValues(filter).values;
    if (bare.length > 0) {
      const shown = /password/i.test(filter ?? '') ? 'a password value (not shown)' : `bare value ${bare.map((v) => JSON.stringify(v)).join(', ')}`;
      add('scim.filter.unquoted_value', 'tolerated', `The filter's ${shown} was read as a string.`);
    }
    if (resource?.[1] === 'Users' && (o.method === 'POST' || o.method === 'PUT' || o.method === 'PATCH')) {
      const id = resource[2] !== undefined ? decodeURIComponent(resource[2]) : o.location?.split('/').pop();
      const shared = id === undefined ? undefined : o.sharedEmail(id);
      if (shared !== undefined) add('scim.user.email_shared', 'tolerated', `The email ${shared} belongs to another User too; the member of User ${id} follows its userName.`);
    }
    if (resource?.[1] === 'Groups' && o.method !== 'GET' && o.method !== 'DELETE') {
      const strangers = [...new Set(memberValues(o.method, o.body))].filter((id) => !o.isUser(id));
      if (strangers.length > 0) {
        add('scim.group.member_not_user', 'tolerated', `Member value${strangers.length > 1 ? 's' : ''} ${strangers.slice(0, 5).map((s) => JSON.stringify(s)).join(', ')}${strangers.length > 5 ? ` and ${strangers.length - 5} more` : ''} are not Users of this directory and were left out.`);
      }
    }
  }
  if (o.method === 'PATCH' && o.status === 204 && o.params.has('attributes') && (o.params.get('attributes') ?? '').trim() === '') {
    add('scim.patch.no_content', o.lenient ? 'tolerated' : 'observed', 'The PATCH asked for no attributes and was answered 204 No Content.');
  }

  if (o.method === 'PATCH') {
    const ops = operations(o.body);
    const cased = [...new Set(ops.map((op) => field(op, 'op')).filter((v): v is string => typeof v === 'string' && v !== v.toLowerCase()))];
    if (cased.length > 0) add('scim.patch.op_case', 'observed', `"op" ${cased.map((v) => JSON.stringify(v)).join(', ')}: the RFC spells them "add", "remove", "replace".`);
    const boolStrings = ops.flatMap((op) => {
      const path = field(op, 'path');
      const value = field(op, 'value');
      if (typeof path === 'string' && /^active$/i.test(path.trim()) && isBoolString(value)) return [`"active": ${JSON.stringify(value)}`];
      if (typeof path !== 'string' && isObject(value) && isBoolString(field(value, 'active'))) return [`"active": ${JSON.stringify(field(value, 'active'))}`];
      return [];
    });
    if (boolStrings.length > 0) add('scim.patch.boolean_string', 'observed', `${boolStrings[0]} is a string; "active" is a boolean.`);
    if (ops.some((op) => String(field(op, 'op') ?? '').toLowerCase() === 'replace' && field(op, 'path') === undefined && isObject(field(op, 'value')))) {
      add('scim.patch.pathless_replace', 'observed', `A "replace" without "path" sets ${ops.flatMap((op) => (field(op, 'path') === undefined && isObject(field(op, 'value')) ? Object.keys(field(op, 'value') as object) : [])).slice(0, 5).join(', ')}.`);
    }
  }
  if (resource?.[1] === 'Users' && resource[2] !== undefined) {
    const id = decodeURIComponent(resource[2]);
    if (o.method === 'PUT') add('scim.user.full_replace', 'observed', `PUT /Users/${id} replaced the whole User.`);
    if (o.method === 'DELETE') add('scim.user.delete', 'observed', `DELETE /Users/${id} removed the User instead of setting "active": false.`);
    if (deprovisioning && o.userActive(id) === true) add('scim.deprovision.no_effect', 'observed', `${o.method} /Users/${id} asked for "active": false, and the User is still active.`);
  }
  return out;
}
