import { describe, expect, it } from 'vitest';
import { parseFilter, parsePatchPath, type FilterNode } from './parse-filter.js';
import { errorOf } from '../../../test/support/errors.js';

// Compact rendering of a tree, to pin structure and precedence.
function show(n: FilterNode): string {
  const p = (path: { uri?: string; name: string; subAttr?: string }) =>
    `${path.uri ? `${path.uri}:` : ''}${path.name}${path.subAttr ? `.${path.subAttr}` : ''}`;
  switch (n.kind) {
    case 'compare':
      return `${p(n.path)} ${n.op} ${JSON.stringify(n.value)}`;
    case 'present':
      return `${p(n.path)} pr`;
    case 'and':
    case 'or':
      return `(${show(n.left)} ${n.kind} ${show(n.right)})`;
    case 'not':
      return `not(${show(n.filter)})`;
    case 'valuePath':
      return `${p(n.path)}[${show(n.filter)}]${n.then ? `.${show(n.then)}` : ''}`;
  }
}

describe('parseFilter', () => {
  it.each([
    ['userName eq "bjensen"', 'userName eq "bjensen"'],
    ['name.familyName co "O\'Malley"', 'name.familyName co "O\'Malley"'],
    ['userName sw "J"', 'userName sw "J"'],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', 'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"'],
    ['title pr', 'title pr'],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', 'meta.lastModified gt "2011-05-13T04:42:34Z"'],
    ['title pr and userType eq "Employee"', '(title pr and userType eq "Employee")'],
    ['title pr or userType eq "Intern"', '(title pr or userType eq "Intern")'],
    [
      'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
      'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
    ],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      '(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))',
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      '(userType ne "Employee" and not((emails co "example.com" or emails.value co "example.org")))',
    ],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      '(userType eq "Employee" and emails[(type eq "work" and value co "@example.com")])',
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      '(emails[(type eq "work" and value co "@example.com")] or ims[(type eq "xmpp" and value co "@foo.com")])',
    ],
  ])('parses the RFC 7644 §3.4.2.2 example %s', (text, expected) => {
    expect(show(parseFilter(text))).toBe(expected);
  });

  it('binds "and" tighter than "or" on both sides', () => {
    expect(show(parseFilter('a eq 1 or b eq 2 and c eq 3'))).toBe('(a eq 1 or (b eq 2 and c eq 3))');
    expect(show(parseFilter('a eq 1 and b eq 2 or c eq 3'))).toBe('((a eq 1 and b eq 2) or c eq 3)');
    expect(show(parseFilter('(a eq 1 or b eq 2) and c eq 3'))).toBe('((a eq 1 or b eq 2) and c eq 3)');
  });

  it('reads operators, logical words and literals in any case', () => {
    expect(show(parseFilter('userName EQ "x" AND active Eq True OR title Pr'))).toBe(
      '((userName eq "x" and active eq true) or title pr)',
    );
    expect(show(parseFilter('NOT (manager eq NULL)'))).toBe('not(manager eq null)');
    expect(show(parseFilter('x eq FALSE'))).toBe('x eq false');
  });

  it('reads numbers and escaped strings as JSON', () => {
    const n = parseFilter('count ge -12.5e2');
    expect(n).toEqual({ kind: 'compare', path: { name: 'count' }, op: 'ge', value: -1250 });
    const s = parseFilter('displayName eq "say \\"hi\\" \\u00e9 ]. \\\\"');
    expect(s.kind === 'compare' && s.value).toBe('say "hi" é ]. \\');
  });

  it('parses a value path followed by a sub-attribute comparison (as Entra sends it)', () => {
    expect(show(parseFilter('emails[type eq "work"].value eq "x@y.z"'))).toBe('emails[type eq "work"].value eq "x@y.z"');
    expect(show(parseFilter('emails[type eq "work"].value pr and active eq true'))).toBe(
      '(emails[type eq "work"].value pr and active eq true)',
    );
  });

  it('parses URN-qualified extension attributes with sub-attributes', () => {
    const n = parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"');
    expect(n).toMatchObject({
      kind: 'compare',
      path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', name: 'manager', subAttr: 'value' },
    });
  });

  it('parses members.$ref', () => {
    expect(show(parseFilter('members.$ref pr'))).toBe('members.$ref pr');
    expect(show(parseFilter('members[$ref pr]'))).toBe('members[$ref pr]');
  });

  it.each([
    ['', 0, 'a filter expression'],
    ['userName', 8, 'an operator'],
    ['userName eq', 11, 'a value'],
    ['userName eq bjensen', 12, 'a value'],
    ['userName xx "a"', 9, 'an operator'],
    ['userName eq "a" and', 19, 'an attribute name'],
    ['(userName eq "a"', 16, '")"'],
    ['userName eq "a")', 15, '"and", "or" or end of input'],
    ['userName eq "a', 12, 'a closing'],
    ['not userName eq "a"', 4, '"(" after "not"'],
    ['emails[type eq "work"', 21, '"]"'],
    ['emails[type eq "work" and addresses[type eq "x"]]', 35, 'value filters do not nest'],
    ['name.givenName.x eq "a"', 14, 'at most one sub-attribute'],
    ['userName eq "a" # 1', 16, 'an attribute name, operator or value'],
    ['emails[type eq "work"].value', 28, 'an operator'],
    ['1 eq 1', 0, 'an attribute name'],
  ])('rejects %j at position %i, expecting %s', (text, position, expected) => {
    const e = errorOf(() => parseFilter(text));
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_filter');
    expect(e.scimType).toBe('invalidFilter');
    expect(e.details?.position).toBe(position);
    expect(String(e.details?.expected)).toContain(expected);
    expect(e.message).toContain(`position ${position}`);
  });
});

describe('parsePatchPath', () => {
  it('parses attribute, sub-attribute, URN and value-filter paths', () => {
    expect(parsePatchPath('userName')).toEqual({ path: { name: 'userName' } });
    expect(parsePatchPath('name.givenName')).toEqual({ path: { name: 'name', subAttr: 'givenName' } });
    expect(parsePatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager')).toEqual({
      path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', name: 'manager' },
    });
    const p = parsePatchPath('emails[type eq "work"].value');
    expect(p.path).toEqual({ name: 'emails' });
    expect(p.subAttr).toBe('value');
    expect(p.filter).toEqual({ kind: 'compare', path: { name: 'type' }, op: 'eq', value: 'work' });
    expect(parsePatchPath('members[value eq "2819c223-7f76-453a-919d-413861904646"]').filter).toBeDefined();
  });

  it.each([
    ['emails[type eq "work"', 'invalidPath'],
    ['emails[type eq "work"] x', 'invalidPath'],
    ['emails eq "x"', 'invalidPath'],
    ['', 'invalidPath'],
    ['name.givenName[type eq "x"]', 'invalidPath'],
    ['emails[type eq "work"].', 'invalidPath'],
  ])('rejects %j with %s', (text, scimType) => {
    const e = errorOf(() => parsePatchPath(text));
    expect(e.scimType).toBe(scimType);
    expect(e.code).toBe('invalid_path');
    expect(e.status).toBe(400);
  });
});
