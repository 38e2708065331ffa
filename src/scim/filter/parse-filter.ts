// The SCIM filter grammar (RFC 7644 §3.4.2.2, Figure 1) and the PATCH path grammar built on it
// (RFC 7644 §3.5.2): tokenizer, recursive-descent parser and the filter syntax tree.

import { EmulatorError } from '../../errors.js';
import { MAX_FILTER_DEPTH, MAX_FILTER_TERMS, limitExceeded } from '../limits.js';
import type { AttributePathParts } from '../schema.js';

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A `compValue` (RFC 7644 §3.4.2.2): JSON false / null / true / number / string. */
export type FilterValue = string | number | boolean | null;

/** An attribute path as written in a filter: `[URI ":"] ATTRNAME ["." subAttr]`. */
export type AttributePath = AttributePathParts;

/** `attrPath compareOp compValue`. Inside a value filter the path is relative to the element. */
export interface CompareNode {
  readonly kind: 'compare';
  readonly path: AttributePath;
  readonly op: CompareOperator;
  readonly value: FilterValue;
}

/** `attrPath pr`. */
export interface PresentNode {
  readonly kind: 'present';
  readonly path: AttributePath;
}

export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

export interface NotNode {
  readonly kind: 'not';
  readonly filter: FilterNode;
}

/**
 * `attrPath "[" valFilter "]"`, optionally followed by `.subAttr op value` (as Entra sends
 * `emails[type eq "work"].value eq "x@y.z"`): matches when one element satisfies `filter`
 * and, when present, `then` (evaluated on that same element).
 */
export interface ValuePathNode {
  readonly kind: 'valuePath';
  readonly path: AttributePath;
  readonly filter: FilterNode;
  readonly then?: CompareNode | PresentNode;
}

export type FilterNode = CompareNode | PresentNode | LogicalNode | NotNode | ValuePathNode;

/** A PATCH `path` (RFC 7644 §3.5.2): `attrPath / valuePath [subAttr]`. */
export interface PatchPath {
  readonly path: AttributePath;
  /** The value selection filter, for `emails[type eq "work"]`. */
  readonly filter?: FilterNode;
  /** The sub-attribute after a value filter, for `emails[type eq "work"].value`. */
  readonly subAttr?: string;
}

type TokenKind = 'word' | 'string' | 'number' | '(' | ')' | '[' | ']' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  /** For strings: the decoded value; for numbers: the numeric value. */
  readonly value?: string | number;
}

const COMPARE_OPERATORS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// ATTRNAME = ALPHA *(nameChar) plus `$ref`; a URN prefix brings ':' and '.'.
const WORD = /[A-Za-z$][\w$:.\-]*/y;

function invalid(kind: 'filter' | 'path', text: string, position: number, expected: string, found: string): EmulatorError {
  const what = kind === 'filter' ? 'filter' : 'PATCH path';
  return new EmulatorError({
    code: kind === 'filter' ? 'invalid_filter' : 'invalid_path',
    status: 400,
    scimType: kind === 'filter' ? 'invalidFilter' : 'invalidPath',
    message: `Invalid ${what} at position ${position}: expected ${expected} but found ${found} in ${JSON.stringify(text)}. See RFC 7644 §3.4.2.2 for the grammar.`,
    details: { position, expected, found },
  });
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'end of input';
  return JSON.stringify(token.text);
}

function tokenize(text: string, kind: 'filter' | 'path'): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    // `].value`: a '.' right after ']' starts a word holding the sub-attribute name.
    const previous = tokens[tokens.length - 1];
    if (ch === '.' && previous?.kind === ']' && previous.start === i - 1) {
      WORD.lastIndex = i + 1;
      const m = WORD.exec(text);
      if (!m) throw invalid(kind, text, i + 1, 'a sub-attribute name after "]."', JSON.stringify(text[i + 1] ?? ''));
      tokens.push({ kind: 'word', text: `.${m[0]}`, start: i });
      i += 1 + m[0].length;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      tokens.push({ kind: ch, text: ch, start: i });
      i++;
      continue;
    }
    if (ch === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw invalid(kind, text, start, 'a closing \'"\'', 'end of input');
      i++;
      const raw = text.slice(start, i);
      let value: string;
      try {
        value = JSON.parse(raw) as string;
      } catch {
        throw invalid(kind, text, start, 'a JSON string', raw);
      }
      tokens.push({ kind: 'string', text: raw, start, value });
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) throw invalid(kind, text, i, 'a number', JSON.stringify(ch));
      tokens.push({ kind: 'number', text: m[0], start: i, value: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const m = WORD.exec(text);
    if (!m) throw invalid(kind, text, i, 'an attribute name, operator or value', JSON.stringify(ch));
    tokens.push({ kind: 'word', text: m[0], start: i });
    i += m[0].length;
  }
  tokens.push({ kind: 'end', text: '', start: text.length });
  return tokens;
}

/**
 * The parser recurses only into a nested group (`(…)`, `not (…)`, `[…]`), and checks the depth
 * before it does; `and`/`or` chains are loops. With the term limit, the tree (and every
 * recursive walk over it) is at most MAX_FILTER_TERMS + MAX_FILTER_DEPTH deep.
 */
class Parser {
  private index = 0;
  private depth = 0;
  private terms = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly mode: 'filter' | 'path',
  ) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const t = this.tokens[this.index]!;
    if (t.kind !== 'end') this.index++;
    return t;
  }

  fail(token: Token, expected: string): EmulatorError {
    return invalid(this.mode, this.text, token.start, expected, describe(token));
  }

  private isKeyword(token: Token, word: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end') throw this.fail(t, `"and", "or" or end of input`);
  }

  // FILTER = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"; "and" binds tighter than "or".
  parseOr(inValueFilter: boolean): FilterNode {
    let left = this.parseAnd(inValueFilter);
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(inValueFilter) };
    }
    return left;
  }

  private parseAnd(inValueFilter: boolean): FilterNode {
    let left = this.parseUnary(inValueFilter);
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary(inValueFilter) };
    }
    return left;
  }

  private parseUnary(inValueFilter: boolean): FilterNode {
    const t = this.peek();
    if (this.isKeyword(t, 'not')) {
      this.next();
      const open = this.next();
      if (open.kind !== '(') throw this.fail(open, `"(" after "not"`);
      const filter = this.nested(open, () => this.parseOr(inValueFilter));
      this.expectClose(')');
      return { kind: 'not', filter };
    }
    if (t.kind === '(') {
      this.next();
      const filter = this.nested(t, () => this.parseOr(inValueFilter));
      this.expectClose(')');
      return filter;
    }
    return this.parseAttributeExpression(inValueFilter);
  }

  /** Parses one nesting level deeper, refusing beyond MAX_FILTER_DEPTH before recursing. */
  nested<T>(open: Token, parse: () => T): T {
    if (this.depth >= MAX_FILTER_DEPTH) {
      throw limitExceeded(
        'tooMany',
        'filter_too_complex',
        `The ${this.mode === 'filter' ? 'filter' : 'PATCH path'} nests more than ${MAX_FILTER_DEPTH} levels of parentheses, "not" or value filters (at position ${open.start}); the limit is ${MAX_FILTER_DEPTH}. Flatten it or split the request.`,
        { limit: MAX_FILTER_DEPTH, position: open.start },
      );
    }
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /** Counts one attribute expression, refusing beyond MAX_FILTER_TERMS. */
  private countTerm(token: Token): void {
    if (++this.terms > MAX_FILTER_TERMS) {
      throw limitExceeded(
        'tooMany',
        'filter_too_complex',
        `The ${this.mode === 'filter' ? 'filter' : 'PATCH path'} has more than ${MAX_FILTER_TERMS} attribute expressions (the ${MAX_FILTER_TERMS + 1}st at position ${token.start}); the limit is ${MAX_FILTER_TERMS}. Split it into several requests.`,
        { limit: MAX_FILTER_TERMS, position: token.start },
      );
    }
  }

  private expectClose(kind: ')' | ']'): void {
    const t = this.next();
    if (t.kind !== kind) throw this.fail(t, `"${kind}"`);
  }

  attributePath(token: Token): AttributePath {
    if (token.kind !== 'word') throw this.fail(token, 'an attribute name');
    const text = token.text;
    const colon = text.lastIndexOf(':');
    const uri = colon >= 0 ? text.slice(0, colon) : undefined;
    const rest = colon >= 0 ? text.slice(colon + 1) : text;
    const segments = rest.split('.');
    const name = segments[0] ?? '';
    const namePattern = /^\$?[A-Za-z][\w-]*$/;
    if (uri !== undefined && !/^urn:/i.test(uri)) throw this.fail(token, 'an attribute name or a "urn:" schema prefix');
    if (!namePattern.test(name)) {
      throw invalid(this.mode, this.text, token.start + (colon + 1), 'an attribute name', JSON.stringify(rest));
    }
    if (segments.length > 2) {
      throw invalid(this.mode, this.text, token.start + colon + 1 + name.length + 1 + (segments[1]?.length ?? 0), 'at most one sub-attribute', JSON.stringify(rest));
    }
    const subAttr = segments[1];
    if (subAttr !== undefined && !namePattern.test(subAttr)) {
      throw invalid(this.mode, this.text, token.start + colon + 1 + name.length + 1, 'a sub-attribute name', JSON.stringify(subAttr));
    }
    return { ...(uri !== undefined ? { uri } : {}), name, ...(subAttr !== undefined ? { subAttr } : {}) };
  }

  // attrExp = (attrPath SP "pr") / (attrPath SP compareOp SP compValue); valuePath = attrPath "[" valFilter "]"
  private parseAttributeExpression(inValueFilter: boolean): FilterNode {
    const t = this.next();
    if (t.kind !== 'word' || ['and', 'or'].includes(t.text.toLowerCase())) {
      throw this.fail(t, 'an attribute name, "not" or "("');
    }
    this.countTerm(t);
    const path = this.attributePath(t);
    const after = this.peek();
    if (after.kind === '[') {
      if (inValueFilter) throw this.fail(after, 'an operator (value filters do not nest)');
      if (path.subAttr !== undefined) throw this.fail(after, 'an operator (a value filter applies to a multi-valued attribute, not a sub-attribute)');
      this.next();
      const filter = this.nested(after, () => this.parseOr(true));
      const close = this.next();
      if (close.kind !== ']') throw this.fail(close, '"]", "and" or "or"');
      // Entra's extension: `emails[type eq "work"].value eq "x"`.
      const dotted = this.peek();
      if (dotted.kind === 'word' && dotted.start === close.start + 1 && dotted.text.startsWith('.')) {
        this.next();
        const sub = dotted.text.slice(1);
        if (!/^\$?[A-Za-z][\w-]*$/.test(sub)) throw this.fail(dotted, 'a sub-attribute name after "]."');
        const then = this.parseOperator({ name: sub });
        if (then.kind !== 'compare' && then.kind !== 'present') throw this.fail(dotted, 'an operator');
        return { kind: 'valuePath', path, filter, then };
      }
      return { kind: 'valuePath', path, filter };
    }
    return this.parseOperator(path);
  }

  private parseOperator(path: AttributePath): CompareNode | PresentNode {
    const opToken = this.next();
    const op = opToken.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!COMPARE_OPERATORS.has(op)) {
      throw this.fail(opToken, 'an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)');
    }
    const v = this.next();
    let value: FilterValue;
    if (v.kind === 'string' || v.kind === 'number') value = v.value!;
    else if (v.kind === 'word' && ['true', 'false', 'null'].includes(v.text.toLowerCase())) {
      const lower = v.text.toLowerCase();
      value = lower === 'null' ? null : lower === 'true';
    } else {
      throw this.fail(v, 'a value (a "quoted string", a number, true, false or null)');
    }
    return { kind: 'compare', path, op: op as CompareOperator, value };
  }

  // PATH = attrPath / valuePath [subAttr]
  parsePatchPath(): PatchPath {
    const t = this.next();
    const path = this.attributePath(t);
    const after = this.peek();
    if (after.kind === 'end') return { path };
    if (after.kind !== '[' || path.subAttr !== undefined) throw this.fail(after, 'end of path or "["');
    this.next();
    const filter = this.nested(after, () => this.parseOr(true));
    const close = this.next();
    if (close.kind !== ']') throw this.fail(close, '"]", "and" or "or"');
    const dotted = this.peek();
    if (dotted.kind === 'end') return { path, filter };
    if (dotted.kind === 'word' && dotted.start === close.start + 1 && /^\.\$?[A-Za-z][\w-]*$/.test(dotted.text)) {
      this.next();
      this.expectEnd();
      return { path, filter, subAttr: dotted.text.slice(1) };
    }
    throw this.fail(dotted, 'end of path or ".subAttribute"');
  }
}

// `attrName op "text"`, the filter IdPs send before most creates (`userName eq "ada@…"`), read in
// one match: the node the parser below would build. Only when the name is a plain ATTRNAME that is
// not a keyword, and the text holds no quote, backslash or control character (so it is its own
// JSON string value); anything else goes to the parser, errors included.
const SIMPLE_COMPARE = /^[ \t\n\r]*([A-Za-z][A-Za-z0-9_-]*)[ \t\n\r]+(eq|ne|co|sw|ew|gt|ge|lt|le)[ \t\n\r]*"([^"\\\u0000-\u001f]*)"[ \t\n\r]*$/i;
const KEYWORDS = new Set(['and', 'or', 'not']);

function simpleCompare(text: string): CompareNode | undefined {
  const m = SIMPLE_COMPARE.exec(text);
  if (!m || KEYWORDS.has(m[1]!.toLowerCase())) return undefined;
  return { kind: 'compare', path: { name: m[1]! }, op: m[2]!.toLowerCase() as CompareOperator, value: m[3]! };
}

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2). Operators, `and`/`or`/`not` and `true`/`false`/`null`
 * are case-insensitive; `and` binds tighter than `or`.
 * @throws EmulatorError 400 `invalid_filter` / scimType `invalidFilter`, naming the character
 * offset and what was expected (also in `details.position` / `details.expected`).
 */
export function parseFilter(text: string): FilterNode {
  if (typeof text !== 'string' || text.trim() === '') {
    throw invalid('filter', String(text ?? ''), 0, 'a filter expression', 'end of input');
  }
  const simple = simpleCompare(text);
  if (simple) return simple;
  const parser = new Parser(text, tokenize(text, 'filter'), 'filter');
  const node = parser.parseOr(false);
  parser.expectEnd();
  return node;
}

/**
 * Parses a PATCH operation `path` (RFC 7644 §3.5.2): `attrPath`, `valuePath` or
 * `valuePath.subAttr`, e.g. `emails[type eq "work"].value`.
 * @throws EmulatorError 400 `invalid_path` / scimType `invalidPath`.
 */
export function parsePatchPath(text: string): PatchPath {
  if (typeof text !== 'string' || text.trim() === '') {
    throw invalid('path', String(text ?? ''), 0, 'an attribute path', 'end of input');
  }
  const parser = new Parser(text, tokenize(text, 'path'), 'path');
  return parser.parsePatchPath();
}
