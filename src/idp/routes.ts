// The built-in mock identity provider over HTTP: /idp/{idp}/* (directory, faults, applications,
// provisioning, SAML and OIDC) and its management on the control plane (/_emulator/idps).
import { Hono } from 'hono';
import { z } from 'zod';
import { ACTOR_ADMIN_KEY } from '../emulator.js';
import { EmulatorError, badRequest } from '../errors.js';
import { readBody } from '../http/body.js';
import type { AppContext, AppEnv } from '../http/context.js';
import {
  addGroup,
  addGroupMember,
  addUser,
  deleteGroup,
  deleteUser,
  groupView,
  idpGroupInput,
  idpGroupName,
  idpInput,
  idpUserInput,
  idpUserUpdate,
  moveUser,
  removeGroupMember,
  renameGroup,
  requireGroup,
  requireUser,
  setGroupMembers,
  updateUser,
  userView,
} from './directory.js';
import { checkFaultName } from './faults.js';
import { registerOidcClient, registerSamlSp } from './connect.js';
import { idpOidcRoutes } from './oidc-routes.js';
import { provision, provisionInput } from './provision.js';
import { createIdp, deleteIdp, idpView, recordIdp, requireIdp } from './registry.js';
import { idpSamlRoutes } from './saml-routes.js';
import { googleDirectoryRoutes } from './google-directory.js';

const origin = (c: AppContext) => new URL(c.req.url).origin;
const current = (c: AppContext) => requireIdp(c.get('core'), c.req.param('idp')!);
const now = (c: AppContext) => c.get('core').clock.now();

export const idpUpdate = z.object({ name: z.string().min(1).max(200).optional(), autoApprove: z.boolean().optional() }).strict();
export const groupUpdate = z.object({ displayName: idpGroupName.optional(), members: z.array(z.string()).optional() }).strict();
export const moveInput = z.object({ from: z.string().min(1), to: z.string().min(1) }).strict();
const faultName = z.string().min(1).max(64);
/** The armed faults as the API shows them: the next sign-in's, and per user (lower-case email). */
export const faultsViewSchema = z.object({ next: z.string().optional(), users: z.record(z.string(), z.string()) });

export const faultsInput = z
  .object({ next: faultName.nullable().optional(), users: z.record(z.string(), faultName.nullable()).optional() })
  .strict();
export const samlAppInput = z.object({ entityId: z.string().min(1), acsUrl: z.string().url() }).strict();
export const oidcAppInput = z
  .object({ redirectUris: z.array(z.string().url()).min(1), clientId: z.string().min(1).optional(), clientSecret: z.string().min(16).optional() })
  .strict();

/** Routes under /idp/{idp}. */
export function idpRoutes() {
  const r = new Hono<AppEnv>();

  r.get('/', (c) => c.json(idpView(current(c), origin(c))));
  r.patch('/', async (c) => {
    const idp = current(c);
    const input = await readBody(c, idpUpdate);
    if (input.name !== undefined) idp.name = input.name;
    if (input.autoApprove !== undefined) idp.autoApprove = input.autoApprove;
    recordIdp(c.get('core'), idp, 'idp.updated', input, c.get('actor'));
    return c.json(idpView(idp, origin(c)));
  });

  // Directory: users.
  r.get('/users', (c) => {
    const idp = current(c);
    const email = c.req.query('email')?.toLowerCase();
    const users = Object.values(idp.users).filter((u) => email === undefined || u.email.toLowerCase() === email);
    return c.json({ users: users.map((u) => userView(idp, u)) });
  });
  r.post('/users', async (c) => {
    const idp = current(c);
    const input = await readBody(c, idpUserInput);
    const user = addUser(idp, input, now(c));
    recordIdp(c.get('core'), idp, 'idp.user_added', { email: user.email, userId: user.id, provisioned: user.provisioned }, c.get('actor'));
    return c.json(userView(idp, user), 201);
  });
  r.get('/users/:user', (c) => {
    const idp = current(c);
    return c.json(userView(idp, requireUser(idp, c.req.param('user'))));
  });
  r.patch('/users/:user', async (c) => {
    const idp = current(c);
    const user = requireUser(idp, c.req.param('user'));
    const input = await readBody(c, idpUserUpdate);
    const changed = updateUser(idp, user, input, now(c));
    if (changed.length) {
      const type = changed.length === 1 && changed[0] === 'provisioned' ? (user.provisioned ? 'idp.user_assigned' : 'idp.user_unassigned') : 'idp.user_updated';
      recordIdp(c.get('core'), idp, type, { email: user.email, userId: user.id, changed }, c.get('actor'));
    }
    return c.json(userView(idp, user));
  });
  r.delete('/users/:user', (c) => {
    const idp = current(c);
    const user = requireUser(idp, c.req.param('user'));
    deleteUser(idp, user, now(c));
    recordIdp(c.get('core'), idp, 'idp.user_deleted', { email: user.email, userId: user.id }, c.get('actor'));
    return c.body(null, 204);
  });
  r.post('/users/:user/move', async (c) => {
    const idp = current(c);
    const user = requireUser(idp, c.req.param('user'));
    const input = await readBody(c, moveInput);
    const moved = moveUser(idp, user, input.from, input.to, now(c));
    recordIdp(c.get('core'), idp, 'idp.user_moved', { email: user.email, from: moved.from.displayName, to: moved.to.displayName }, c.get('actor'));
    return c.json(userView(idp, user));
  });

  // Directory: groups.
  r.get('/groups', (c) => {
    const idp = current(c);
    return c.json({ groups: Object.values(idp.groups).map((g) => groupView(idp, g)) });
  });
  r.post('/groups', async (c) => {
    const idp = current(c);
    const input = await readBody(c, idpGroupInput);
    const members = (input.members ?? []).map((m) => requireUser(idp, m));
    const group = addGroup(idp, input, now(c));
    for (const m of members) addGroupMember(idp, group, m, now(c));
    recordIdp(c.get('core'), idp, 'idp.group_added', { displayName: group.displayName, groupId: group.id, members: group.members.length }, c.get('actor'));
    return c.json(groupView(idp, group), 201);
  });
  r.get('/groups/:group', (c) => {
    const idp = current(c);
    return c.json(groupView(idp, requireGroup(idp, c.req.param('group'))));
  });
  r.patch('/groups/:group', async (c) => {
    const idp = current(c);
    const group = requireGroup(idp, c.req.param('group'));
    const input = await readBody(c, groupUpdate);
    const members = input.members?.map((m) => requireUser(idp, m));
    if (input.displayName !== undefined) renameGroup(idp, group, input.displayName, now(c));
    if (members) setGroupMembers(group, members, now(c));
    recordIdp(c.get('core'), idp, 'idp.group_updated', { displayName: group.displayName, groupId: group.id }, c.get('actor'));
    return c.json(groupView(idp, group));
  });
  r.delete('/groups/:group', (c) => {
    const idp = current(c);
    const group = requireGroup(idp, c.req.param('group'));
    deleteGroup(idp, group);
    recordIdp(c.get('core'), idp, 'idp.group_deleted', { displayName: group.displayName, groupId: group.id }, c.get('actor'));
    return c.body(null, 204);
  });
  r.put('/groups/:group/members/:user', (c) => {
    const idp = current(c);
    const group = requireGroup(idp, c.req.param('group'));
    const user = requireUser(idp, c.req.param('user'));
    if (addGroupMember(idp, group, user, now(c))) {
      recordIdp(c.get('core'), idp, 'idp.group_member_added', { displayName: group.displayName, email: user.email }, c.get('actor'));
    }
    return c.json(groupView(idp, group));
  });
  r.delete('/groups/:group/members/:user', (c) => {
    const idp = current(c);
    const group = requireGroup(idp, c.req.param('group'));
    const user = requireUser(idp, c.req.param('user'));
    if (removeGroupMember(idp, group, user, now(c))) {
      recordIdp(c.get('core'), idp, 'idp.group_member_removed', { displayName: group.displayName, email: user.email }, c.get('actor'));
    }
    return c.json(groupView(idp, group));
  });

  // Faults for the next sign-in and per user.
  r.get('/faults', (c) => c.json(current(c).faults));
  r.put('/faults', async (c) => {
    const idp = current(c);
    const input = await readBody(c, faultsInput);
    if (input.next) checkFaultName(input.next);
    for (const f of Object.values(input.users ?? {})) if (f) checkFaultName(f);
    if (input.next === null) delete idp.faults.next;
    else if (input.next !== undefined) idp.faults.next = input.next;
    for (const [email, fault] of Object.entries(input.users ?? {})) {
      if (fault === null || fault === 'none') delete idp.faults.users[email.toLowerCase()];
      else idp.faults.users[email.toLowerCase()] = fault;
    }
    recordIdp(c.get('core'), idp, 'idp.faults_set', { ...idp.faults }, c.get('actor'));
    return c.json(idp.faults);
  });
  r.delete('/faults', (c) => {
    const idp = current(c);
    idp.faults = { users: {} };
    recordIdp(c.get('core'), idp, 'idp.faults_cleared', {}, c.get('actor'));
    return c.body(null, 204);
  });

  // Applications (service providers and relying parties) registered at the IdP.
  r.get('/apps', (c) => c.json(idpView(current(c), origin(c)).apps));
  r.post('/apps/saml', async (c) => {
    const idp = current(c);
    const input = await readBody(c, samlAppInput);
    return c.json(registerSamlSp(c.get('core'), idp, input, c.get('actor')), 201);
  });
  r.post('/apps/oidc', async (c) => {
    const idp = current(c);
    const input = await readBody(c, oidcAppInput);
    if (input.clientId && Object.hasOwn(idp.oidcClients, input.clientId)) {
      // Changing a client's secret or redirect URIs would hand its sign-ins to whoever asked.
      if (c.get('actor') !== ACTOR_ADMIN_KEY) {
        throw new EmulatorError({
          code: 'idp_client_exists',
          status: 403,
          message: `Client "${input.clientId}" is already registered at mock IdP "${idp.id}"; only the emulator admin key ("Authorization: Bearer <admin key>") may change it.`,
        });
      }
      if (input.clientSecret === undefined) {
        throw badRequest('idp_client_exists', `Client "${input.clientId}" is already registered at mock IdP "${idp.id}"; send its clientSecret to update it.`);
      }
    }
    const client = registerOidcClient(c.get('core'), idp, input, c.get('actor'));
    return c.json({ clientId: client.clientId, clientSecret: client.clientSecret, redirectUris: client.redirectUris, issuer: idpView(idp, origin(c)).oidc.issuer }, 201);
  });

  // Provisioning to a workspace's SCIM endpoint.
  r.get('/provision', (c) => c.json({ targets: idpView(current(c), origin(c)).provisioning }));
  r.post('/provision', async (c) => {
    const idp = current(c);
    const input = await readBody(c, provisionInput);
    return c.json(await provision(c.get('core'), idp, input, c.get('actor'), c.get('actor') === ACTOR_ADMIN_KEY));
  });

  r.route('/saml', idpSamlRoutes());
  r.route('/oidc', idpOidcRoutes());
  r.route('/google', googleDirectoryRoutes());
  return r;
}

/** Routes under /_emulator/idps (admin key). */
export function idpControlRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json({ idps: Object.values(c.get('core').state.idps).map((idp) => idpView(idp, origin(c))) }));
  r.post('/', async (c) => {
    const input = await readBody(c, idpInput);
    const idp = createIdp(c.get('core'), input, c.get('actor'));
    return c.json(idpView(idp, origin(c)), 201);
  });
  r.get('/:id', (c) => c.json(idpView(requireIdp(c.get('core'), c.req.param('id')), origin(c))));
  r.delete('/:id', (c) => {
    deleteIdp(c.get('core'), c.req.param('id'), c.get('actor'));
    return c.body(null, 204);
  });
  return r;
}
