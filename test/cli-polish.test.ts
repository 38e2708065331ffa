// CLI details a CI user meets: --out into a folder that does not exist yet, whole step labels with
// their variables expanded, enum values listed by validate, --memory saying nothing was saved, and
// the SCIM 401 for the admin key naming the fix. The runs whose output or working directory is the
// point are child processes; the refusals with absolute paths go through the CLI's main() here.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';
import { prettyListener, wrapText } from '../src/scenario/reporters.js';
import { runCli, startServe } from './support/cli.js';
import { runMain } from './support/cli-in-process.js';

const tmp = () => mkdtemp(join(tmpdir(), 'edu-emulator-cli-polish-'));

const SCENARIO = `name: Labels
steps:
  - create_group: { name: Teachers }
    save: { gid: body.id }
  - request: { method: GET, path: "/api/groups/\${gid}/this-path-is-long-enough-to-need-more-than-one-line-of-the-terminal-to-be-shown-whole" }
    expect: { status: 404 }
  - name: "Look the group \${gid} up by its id"
    request: { method: GET, path: "/api/groups" }
`;

describe('edu-emulator run --out and the pretty output', () => {
  it("creates the report's missing folders and writes the report; refuses a folder before running", async () => {
    const dir = await tmp();
    const file = join(dir, 's.yaml');
    await writeFile(file, SCENARIO);
    const res = await runCli(['run', file, '--reporter', 'junit', '--out', 'new/dir/r.xml'], { cwd: dir });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(await readFile(join(dir, 'new/dir/r.xml'), 'utf8')).toMatch(/<testsuites[^>]* tests="1" failures="0"/);

    const folder = await runMain(['run', file, '--out', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/--out .* is a folder; name a file/);
    expect(folder.stdout).toBe('');
  });

  it("shows whole labels, wrapped, with ${vars} expanded and a step's name: first", async () => {
    const dir = await tmp();
    const file = join(dir, 's.yaml');
    await writeFile(file, SCENARIO);
    const res = await runCli(['run', file], { cwd: dir });
    expect(res.code).toBe(0);
    const out = res.stdout;
    expect(out).not.toContain('…');
    expect(out).not.toContain('${gid}');
    expect(out).toMatch(/Look the group grp_[\w-]+ up by its id/);
    // The long path is there whole, over more than one line.
    expect(out.replace(/\n\s+/g, '')).toContain('this-path-is-long-enough-to-need-more-than-one-line-of-the-terminal-to-be-shown-whole');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('wraps at spaces where it can, and cuts a word longer than the width', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    const lines: string[] = [];
    const listener = prettyListener((s) => lines.push(s), false, 50);
    const scenario = { name: 'x', file: 'x.yaml' } as Parameters<NonNullable<typeof listener.scenarioStarted>>[0];
    listener.scenarioStarted!(scenario);
    listener.stepFinished!(scenario, { index: 0, line: 3, step: 'request', label: 'x'.repeat(120), status: 'passed', durationMs: 1 }, 1);
    expect(lines[1]!.replace(/\n$/, '').split('\n').map((l) => l.length)).toEqual([50, 50, 50]);
  });
});

describe('edu-emulator validate', () => {
  it('lists the values of an enum, and guesses the one meant', async () => {
    const dir = await tmp();
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'name: bad\nsteps:\n  - set_enforcement: sso-only\n');
    const res = await runMain(['validate', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${file}:3:22 step 1 set_enforcement: must be one of off, no_passwords, sso_only (got "sso-only"); did you mean "sso_only"?`);
  });
});

describe('small things', () => {
  it('serve --memory says on stop that nothing was saved', async () => {
    const p = await startServe(['--port', '0', '--memory']);
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(p.stderr()).toMatch(/nothing was saved/);
    expect(p.stderr()).not.toMatch(/state saved/);
  });

  it('the SCIM 401 for the admin key says a SCIM token is needed and how to get one', async () => {
    const { app, adminKey } = createEmulator({ adminKey: 'the-admin-key' });
    const res = await app.request('/w/default/scim/v2/Users', { headers: { Authorization: `Bearer ${adminKey}` } });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { detail?: string; error?: { message: string } };
    expect(JSON.stringify(body)).toMatch(/admin key.*SCIM token.*POST \/w\/default\/api\/scim\/tokens/);
    const other = await app.request('/w/default/scim/v2/Users', { headers: { Authorization: 'Bearer nope' } });
    expect(JSON.stringify(await other.json())).not.toMatch(/admin key/);
  });
});
