import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  SCIM_RESOURCE_TYPES,
  SCIM_SCHEMAS,
  USER_SCHEMA,
  findSchema,
  resolveAttribute,
  resourceTypeResources,
  schemaResources,
} from './schema.js';

describe('RFC 7643 schema definitions', () => {
  const user = findSchema(USER_SCHEMA)!;
  const attr = (name: string) => user.attributes.find((a) => a.name === name)!;

  it('defines userName as required, case-insensitive and server-unique (§4.1.1)', () => {
    expect(attr('userName')).toMatchObject({ type: 'string', required: true, caseExact: false, uniqueness: 'server', mutability: 'readWrite' });
  });

  it('defines emails with a case-insensitive value and canonical types (§4.1.2)', () => {
    const emails = attr('emails');
    expect(emails).toMatchObject({ type: 'complex', multiValued: true });
    expect(emails.subAttributes!.find((s) => s.name === 'value')).toMatchObject({ caseExact: false, type: 'string' });
    expect(emails.subAttributes!.find((s) => s.name === 'type')!.canonicalValues).toEqual(['work', 'home', 'other']);
    expect(emails.subAttributes!.find((s) => s.name === 'primary')!.type).toBe('boolean');
  });

  it('defines groups as read-only and password as write-only, never returned', () => {
    expect(attr('groups').mutability).toBe('readOnly');
    expect(attr('groups').subAttributes!.every((s) => s.mutability === 'readOnly')).toBe(true);
    expect(attr('password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
  });

  it('defines the enterprise manager with value, $ref and a read-only displayName (§4.3)', () => {
    const manager = findSchema(ENTERPRISE_USER_SCHEMA)!.attributes.find((a) => a.name === 'manager')!;
    expect(manager.subAttributes!.map((s) => [s.name, s.type, s.mutability])).toEqual([
      ['value', 'string', 'readWrite'],
      ['$ref', 'reference', 'readWrite'],
      ['displayName', 'string', 'readOnly'],
    ]);
  });

  it('defines Group displayName and members with immutable sub-attributes (§4.2)', () => {
    const group = findSchema(GROUP_SCHEMA)!;
    expect(group.attributes.find((a) => a.name === 'displayName')).toMatchObject({ required: true, caseExact: false });
    const members = group.attributes.find((a) => a.name === 'members')!;
    expect(members.subAttributes!.every((s) => s.mutability === 'immutable')).toBe(true);
  });

  it('gives every attribute all characteristics', () => {
    const walk = (attrs: readonly any[]): void => {
      for (const a of attrs) {
        for (const k of ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness']) {
          expect(a, `${a.name}.${k}`).toHaveProperty(k);
        }
        if (a.type === 'complex') walk(a.subAttributes);
      }
    };
    for (const s of SCIM_SCHEMAS) walk(s.attributes);
  });

  it('serves /Schemas and /ResourceTypes documents with meta', () => {
    const schemas = schemaResources('http://x/w/default/scim/v2');
    expect(schemas.map((s) => s.id)).toEqual([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    expect(schemas[0]!.meta).toEqual({ resourceType: 'Schema', location: `http://x/w/default/scim/v2/Schemas/${USER_SCHEMA}` });
    const types = resourceTypeResources('http://x');
    expect(types[0]).toMatchObject({ id: 'User', endpoint: '/Users', schema: USER_SCHEMA, schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }] });
    expect(types[0]!.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ResourceType']);
    expect(SCIM_RESOURCE_TYPES.map((t) => t.endpoint)).toEqual(['/Users', '/Groups']);
  });
});

describe('resolveAttribute', () => {
  it('resolves names case-insensitively, with sub-attributes and URN prefixes', () => {
    expect(resolveAttribute('USERNAME', 'User')?.target.name).toBe('userName');
    expect(resolveAttribute('name.GIVENNAME', 'User')?.target.name).toBe('givenName');
    expect(resolveAttribute(`${USER_SCHEMA}:userName`, 'User')?.inExtension).toBe(false);
    const employee = resolveAttribute(`${ENTERPRISE_USER_SCHEMA}:employeeNumber`, 'User')!;
    expect(employee).toMatchObject({ schema: ENTERPRISE_USER_SCHEMA, inExtension: true });
    expect(resolveAttribute(`${ENTERPRISE_USER_SCHEMA.toLowerCase()}:manager.value`, 'User')?.target.name).toBe('value');
    expect(resolveAttribute('manager', 'User')?.schema).toBe(ENTERPRISE_USER_SCHEMA);
    expect(resolveAttribute('members.$ref', 'Group')?.target.type).toBe('reference');
  });

  it('resolves the common attributes (RFC 7643 §3.1)', () => {
    expect(resolveAttribute('id', 'Group')?.target).toMatchObject({ caseExact: true, mutability: 'readOnly', returned: 'always' });
    expect(resolveAttribute('externalId', 'User')?.target.caseExact).toBe(true);
    expect(resolveAttribute('meta.lastModified', 'User')?.target.type).toBe('dateTime');
  });

  it('returns undefined for what names nothing', () => {
    for (const p of ['nope', 'name.nope', 'userName', 'x.y.z', `${GROUP_SCHEMA}:userName`, 'urn:x:y:employeeNumber', '']) {
      expect(resolveAttribute(p, p === 'userName' ? 'Group' : 'User'), p).toBeUndefined();
    }
  });
});
