// An example of code under test: a small roster tool of a district that pushes its students and
// staff into the workspace over SCIM and reads their membership back over the admin API, with
// nothing but fetch. The example tests run it against the emulator through MSW and over a socket.

export interface RosterPerson {
  email: string;
  givenName: string;
  familyName: string;
}

export interface RosterSyncOptions {
  /** The workspace's base URL, e.g. `https://chatgpt.example.test/w/springfield`. */
  workspaceUrl: string;
  /** A SCIM bearer token issued by the workspace. */
  scimToken: string;
  /** An admin credential for the workspace admin API. */
  adminKey: string;
}

export interface SyncReport {
  created: string[];
  unchanged: string[];
  deactivated: string[];
}

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export class RosterSync {
  constructor(private readonly options: RosterSyncOptions) {}

  private async scim(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${this.options.workspaceUrl}/scim/v2${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.options.scimToken}`,
        ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`SCIM ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }

  /** Makes the workspace's directory-managed users match the roster: creates and deactivates. */
  async sync(roster: RosterPerson[]): Promise<SyncReport> {
    const report: SyncReport = { created: [], unchanged: [], deactivated: [] };
    const listed = await this.scim('GET', '/Users?count=1000');
    const existing = new Map<string, { id: string; active: boolean }>(
      listed.Resources.map((u: any) => [String(u.userName).toLowerCase(), { id: u.id, active: u.active }]),
    );
    const wanted = new Set(roster.map((p) => p.email.toLowerCase()));
    for (const person of roster) {
      if (existing.has(person.email.toLowerCase())) {
        report.unchanged.push(person.email);
        continue;
      }
      await this.scim('POST', '/Users', {
        schemas: [SCIM_USER],
        userName: person.email,
        name: { givenName: person.givenName, familyName: person.familyName },
        emails: [{ value: person.email, type: 'work', primary: true }],
        active: true,
      });
      report.created.push(person.email);
    }
    for (const [userName, user] of existing) {
      if (wanted.has(userName) || !user.active) continue;
      await this.scim('PATCH', `/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      });
      report.deactivated.push(userName);
    }
    return report;
  }

  /** The workspace's view of one person: status and source, or undefined when not a member. */
  async membership(email: string): Promise<{ status: string; source: string } | undefined> {
    const response = await fetch(`${this.options.workspaceUrl}/api/users?email=${encodeURIComponent(email)}`, {
      headers: { Authorization: `Bearer ${this.options.adminKey}` },
    });
    if (!response.ok) throw new Error(`admin API: ${response.status} ${await response.text()}`);
    const { users } = (await response.json()) as { users: { status: string; source: string }[] };
    return users[0] && { status: users[0].status, source: users[0].source };
  }
}
