// Test support: provisioning over the workspace's own SCIM API, as an identity provider would.
import type { inProcess } from './in-process.js';

type Env = ReturnType<typeof inProcess>;

/** Creates a SCIM token and returns a caller bound to it. */
export async function scimClient(env: Env, ws = 'default') {
  const token = (await env.call('POST', `/w/${ws}/api/scim/tokens`, {})).body.token as string;
  const scim = (method: string, path: string, body?: unknown) =>
    env.call(method, `/w/${ws}/scim/v2${path}`, body, { auth: token, headers: { 'Content-Type': 'application/scim+json' } });
  return {
    token,
    scim,
    async user(email: string, givenName = 'Test', familyName = 'User') {
      const res = await scim('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: email,
        name: { givenName, familyName },
        emails: [{ value: email, type: 'work', primary: true }],
        active: true,
      });
      if (res.status !== 201) throw new Error(`SCIM user ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
    async group(displayName: string, memberIds: string[] = []) {
      const res = await scim('POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName,
        members: memberIds.map((value) => ({ value })),
      });
      if (res.status !== 201) throw new Error(`SCIM group ${displayName}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
  };
}
