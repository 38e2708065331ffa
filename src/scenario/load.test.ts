import { describe, expect, it } from 'vitest';
import { formatIssue, loadScenarioText, nearest, parseRoster } from './load.js';

const load = (text: string) => loadScenarioText(text, 'district.yaml');

describe('loading scenarios', () => {
  it('reads a valid scenario with each step, its line, expect and save', async () => {
    const { scenario, issues } = await load(`name: Pilot
idp:
  vendor: entra
  users:
    - { email: ada@springfield.k12.us, givenName: Ada, groups: [Teachers] }
steps:
  - verify_domain: springfield.k12.us
  - invite: [ada@springfield.k12.us]
  - sign_in: { user: ada@springfield.k12.us, method: sso }
    expect: { outcome: allowed }
  - issue_scim_token: {}
    save: { token: body.token }
`);
    expect(issues).toEqual([]);
    expect(scenario!.steps.map((s) => [s.name, s.line])).toEqual([
      ['verify_domain', 7],
      ['invite', 8],
      ['sign_in', 9],
      ['issue_scim_token', 11],
    ]);
    expect(scenario!.steps[2]!.expect).toEqual({ outcome: 'allowed' });
    expect(scenario!.steps[3]!.save).toEqual({ token: 'body.token' });
    expect(scenario!.doc.idp!.protocol).toBe('saml');
    expect(scenario!.idpUsers[0]!.groups).toEqual(['Teachers']);
  });

  it('reads `as:` on admin steps and refuses it where it means nothing or is not an email', async () => {
    const good = await load(`name: Admin
steps:
  - create_group: { name: Pilot }
    as: admin@springfield.k12.us
`);
    expect(good.issues).toEqual([]);
    expect(good.scenario!.steps[0]!.actAs).toBe('admin@springfield.k12.us');
    const { issues } = await load(`name: Wrong
steps:
  - advance_clock: 1d
    as: admin@springfield.k12.us
  - create_group: { name: Pilot }
    as: admin
`);
    expect(issues.map(formatIssue)).toEqual([
      'district.yaml:4:9 advance_clock makes no admin API call, so as: means nothing here; put as: on admin steps (create_group, map_group, request…)',
      'district.yaml:6:9 as must be the email of a workspace member to act as, e.g. as: ada@springfield.k12.us',
    ]);
  });

  it('reports three mistakes (bad step name, wrong type, missing field) as three file:line:col messages', async () => {
    const { scenario, issues } = await load(`name: Broken
steps:
  - verify_domain: springfield.k12.us
  - sing_in: { user: ada@springfield.k12.us, method: sso }
  - advance_clock: 8
  - create_role: { permissions: { gpts.publish_workspace: true } }
`);
    expect(scenario).toBeUndefined();
    expect(issues.map(formatIssue)).toEqual([
      'district.yaml:4:5 unknown step "sing_in"; did you mean "sign_in"?',
      'district.yaml:5:20 step 3 advance_clock: expected string, received number',
      'district.yaml:6:18 step 4 create_role.name: is required',
    ]);
  });

  it('reports YAML syntax errors with their position', async () => {
    const { issues } = await load('name: x\nsteps:\n  - verify_domain: [unclosed\n');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['steps:\n  - verify_domain: a.example\n', /scenario.*name|name/],
    ['name: x\nsteps: []\n', /steps/],
    ['name: x\ncolour: red\nsteps:\n  - verify_domain: a.example\n', /unknown field "colour"/],
    ['name: x\nsteps:\n  - expect: { status: 200 }\n', /has no action/],
    ['name: x\nsteps:\n  - verify_domain: a.example\n    invite: [a@b.example]\n', /several actions/],
    ['name: x\nsteps:\n  - frobnicate: {}\n', /unknown step "frobnicate"; steps are/],
    ['name: x\nsteps:\n  - sign_in: { user: not-an-email, method: sso }\n', /email address/],
    ['name: x\nsteps:\n  - set_enforcement: strict\n', /set_enforcement/],
    ['name: x\nsteps:\n  - request: { method: GET, path: /x }\n    save: { 1bad: body }\n', /save must map variable names/],
    ['name: x\nidp:\n  groups: [{ name: T, members: [ghost@x.example] }]\nsteps:\n  - verify_domain: a.example\n', /ghost@x\.example, who is not among idp\.users/],
  ])('refuses %j', async (text, message) => {
    const { scenario, issues } = await load(text);
    expect(scenario).toBeUndefined();
    expect(issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('suggests the nearest step name only when it is close', () => {
    expect(nearest('sing_in', ['sign_in', 'invite'])).toBe('sign_in');
    expect(nearest('verify_domian', ['verify_domain', 'invite'])).toBe('verify_domain');
    expect(nearest('completely_else', ['sign_in', 'invite'])).toBeUndefined();
  });

  it('reads a CSV roster', () => {
    expect(parseRoster('email,givenName,familyName,groups\nada@x.example,Ada,L,Teachers;Admins\n')).toEqual([
      { email: 'ada@x.example', givenName: 'Ada', familyName: 'L', groups: ['Teachers', 'Admins'] },
    ]);
  });
});
