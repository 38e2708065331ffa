// The console's pages and their form actions, by name: the half of the console that src/ui/routes.ts
// loads with the first page it draws.
import type { Action } from './actions.js';
import type { PageContext } from './layout.js';
import { domainActions, domainsPage } from './pages/domains.js';
import { eventActions, eventsPage } from './pages/events.js';
import { groupActions, groupsPage } from './pages/groups.js';
import { idpActions, idpPage, idpsPage } from './pages/idps.js';
import { memberActions, memberPage, membersPage } from './pages/members.js';
import { overviewPage, readinessPage } from './pages/readiness.js';
import { roleActions, rolesPage } from './pages/roles.js';
import { conformanceReportPage, scimActions, scimPage } from './pages/scim.js';
import { ssoActions, ssoPage } from './pages/sso.js';
import { trainingActions, trainingPage } from './pages/training.js';
import { directoryActions, directoryPage } from './pages/directory.js';

export { renderPage } from './layout.js';
export { loginPage } from './pages/login.js';
export { mePage } from './pages/me.js';
export { conformanceReportPage, idpPage, memberPage, overviewPage };

type Render = (ctx: PageContext) => Promise<unknown>;

export const PAGE_RENDERERS: Record<string, Render> = {
  domains: domainsPage,
  sso: ssoPage,
  scim: scimPage,
  members: membersPage,
  groups: groupsPage,
  roles: rolesPage,
  readiness: readinessPage,
  events: eventsPage,
  training: trainingPage,
  idps: idpsPage,
  directory: directoryPage,
};

export const PAGE_ACTIONS: Record<string, Record<string, Action>> = {
  domains: domainActions,
  sso: ssoActions,
  scim: scimActions,
  members: memberActions,
  groups: groupActions,
  roles: roleActions,
  training: trainingActions,
  events: eventActions,
  idps: idpActions,
  directory: directoryActions,
};
