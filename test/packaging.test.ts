// The published package: `npm pack` produces a tarball that installs into an empty project with no
// network (from the npm cache), whose bin serves, whose three entry points import and type-check,
// whose Vitest entry works as a global setup by package name, and where a consumer's Vitest file
// (six concurrent tests verifying one domain, and SSO through the typed client) type-checks and
// passes. Installed from `git+file://` (the committed HEAD, built by `prepare`), the package is the
// same one, file for file and byte for byte, with the same dependencies.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '..');
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const vitestBin = join(repo, 'node_modules/vitest/vitest.mjs');
const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };

let dir: string;
let project: string;
let installedBy: 'npm' | 'links';
let tarball: string;

/** The environment without the settings of the enclosing `npm test` and Vitest run leaking in. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_(config|package|lifecycle)_|VITEST|TEST$|NODE_ENV$)/i.test(k)));
}

async function link(name: string, into = project): Promise<void> {
  const to = join(into, 'node_modules', name);
  if (existsSync(to)) return;
  await mkdir(resolve(to, '..'), { recursive: true });
  await symlink(join(repo, 'node_modules', name), to, 'dir');
}

/** Starts `work` on first call, then answers the same promise: one run shared by the tests that read it. */
function once<T>(work: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => (started ??= work());
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edu-emulator-pack-'));
  project = join(dir, 'project');
  // What `prepare` does on npm ci (nothing to do when dist is current, as after `pretest`); the
  // pack itself skips scripts so its output is only JSON.
  await run(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: repo });
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repo, env: npmEnv() });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  tarball = join(dir, filename);
  installedBy = await installInto(project, tarball, tarball, true);
  await writeConsumerSuite(project);
}, 90_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('installs with its bin, entry points and declarations', async () => {
    const root = join(project, 'node_modules', pkg.name);
    for (const file of ['bin/edu-emulator.js', 'dist/index.js', 'dist/index.d.ts', 'dist/msw/index.d.ts', 'dist/vitest/index.d.ts', 'README.md', 'docs/rules.md']) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
    expect(existsSync(join(root, 'src')), 'sources are not shipped').toBe(false);
    expect(['npm', 'links']).toContain(installedBy);
  });

  it('serves with its bin until the listening line', async () => {
    const child = spawn(join(project, 'node_modules/.bin/edu-emulator'), ['serve', '--port', '0', '--memory'], { cwd: project });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`no listening line in 15 s: ${out}${err}`)), 15_000);
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /^listening on (http:\/\/\S+)$/m.exec(out);
          if (m) {
            clearTimeout(timer);
            resolveUrl(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}${err}`)));
      });
      expect(await (await fetch(`${url}/_emulator/health`)).json()).toMatchObject({ status: 'ok' });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('runs its entry points: startEmulator, the typed client, MSW handlers', async () => {
    await writeFile(
      join(project, 'smoke.mjs'),
      `import { startEmulator, createEmulator } from 'edu-workspace-emulator';
import { emulatorHandlers } from 'edu-workspace-emulator/msw';
import { setupServer } from 'msw/node';
const running = await startEmulator();
const ws = await running.workspace();
const domain = await ws.admin.domains.addAndVerify('springfield.k12.us');
await running.stop();
const handlers = emulatorHandlers({ baseUrl: 'https://chatgpt.example.test', emulator: createEmulator() });
const server = setupServer(...handlers);
server.listen({ onUnhandledRequest: 'error' });
const health = await (await fetch('https://chatgpt.example.test/_emulator/health')).json();
server.close();
console.log(JSON.stringify({ status: domain.status, health: health.status }));
`,
    );
    const { stdout } = await run(process.execPath, ['smoke.mjs'], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ status: 'verified', health: 'ok' });
  });

  it('type-checks a file that imports the three entry points', async () => {
    await writeFile(
      join(project, 'check.ts'),
      `import { createEmulator, startEmulator, createAdminClient, AdminApiError, type Member, type WorkspaceHandle } from 'edu-workspace-emulator';
import { emulatorHandlers, type EmulatorHandlers } from 'edu-workspace-emulator/msw';
import { test, setup, emulatorGlobalSetup } from 'edu-workspace-emulator/vitest';
import { inject } from 'vitest';

const { app, adminKey } = createEmulator({ outbound: { 'login.microsoftonline.com': '/idp/entra' } });
const admin = createAdminClient({ url: 'http://emulator.test', adminKey, fetch: (r) => app.fetch(r) });
const members: Promise<Member[]> = admin.workspace('default').users.list();
const level: 'off' | 'no_passwords' | 'sso_only' = (await admin.workspace('default').sso.enforcement.get()).level;
const running = await startEmulator({ port: 0 });
const ws: WorkspaceHandle = await running.workspace();
const scim: string = ws.scimBaseUrl;
const handlers: EmulatorHandlers = emulatorHandlers({ baseUrl: 'https://chatgpt.example.test' });
const key: string = handlers.adminKey;
const provided: string = inject('eduEmulator').url;
test('a test with a workspace', async ({ workspace, emulator }) => {
  const token: string = await workspace.scimToken();
  const url: string = emulator.url;
});
void [members, level, scim, key, provided, setup, emulatorGlobalSetup({ port: 0 }), AdminApiError];
// @ts-expect-error the admin client knows its routes
admin.workspace('default').domains.verifyAll();
`,
    );
    // One tsc over this file and the consumer suite (below), every declaration file checked too.
    expect(await projectTypes()).toBe('');
  }, 60_000);

  it('works as a Vitest global setup by package name, with the workspace fixture', async () => {
    // tests/fixture.test.mjs, in the one Vitest run of the consumer project (its config below).
    expect((await projectTests()).get('fixture.test.mjs')).toEqual(['passed']);
  }, 60_000);
});

/**
 * A consumer project's Vitest setup: the global setup by package name with the workspace fixture
 * (tests/fixture.test.mjs), the Vitest file of the acceptance (tests/district.test.ts), and
 * a strict tsconfig for it and check.ts that checks every declaration file too (no skipLibCheck).
 */
async function writeConsumerSuite(into: string): Promise<void> {
  await mkdir(join(into, 'tests'), { recursive: true });
  await writeFile(
    join(into, 'vitest.config.mjs'),
    `export default { test: { include: ['tests/**/*.test.mjs', 'tests/**/*.test.ts'], testTimeout: 60_000, globalSetup: ['edu-workspace-emulator/vitest'] } };\n`,
  );
  await writeFile(
    join(into, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] },
      include: ['check.ts', 'tests/**/*.ts'],
    }),
  );
  await writeFile(
    join(into, 'tests/fixture.test.mjs'),
    `import { expect } from 'vitest';
import { test } from 'edu-workspace-emulator/vitest';
test('a fresh workspace on the shared emulator', async ({ workspace, emulator }) => {
  expect(workspace.baseUrl).toBe(emulator.url + '/w/' + workspace.id);
  expect(await workspace.admin.users.list()).toEqual([]);
});
`,
  );
  await writeFile(
    join(into, 'tests/district.test.ts'),
    `import { describe, expect } from 'vitest';
import { AdminApiError, test } from 'edu-workspace-emulator/vitest';
import type { ScimUser, SignInOutcome } from 'edu-workspace-emulator';

describe('one district domain, six workspaces at once', () => {
  for (const n of [1, 2, 3, 4, 5, 6]) {
    test.concurrent(\`workspace \${n} verifies springfield.k12.us\`, async ({ workspace }) => {
      const verified = await workspace.admin.domains.addAndVerify('springfield.k12.us');
      expect(verified.status).toBe('verified');
    });
  }
});

test('SAML to a mock IdP, a real SSO sign-in, then sso_only without force', async ({ workspace, emulator }) => {
  const idp = await emulator.admin.idps.create({ vendor: 'entra', users: [{ email: 'ada@springfield.k12.us', givenName: 'Ada' }] });
  await workspace.admin.domains.addAndVerify('springfield.k12.us');
  await workspace.admin.sso.configure({ protocol: 'saml', mockIdp: idp.id, allowIdpInitiated: false });
  await workspace.admin.invites.create({ email: 'ada@springfield.k12.us' });
  const refused = await workspace.admin.sso.enforcement.set('sso_only').catch((e: unknown) => e);
  expect(refused instanceof AdminApiError && refused.code).toBe('sso_untested');
  const signedIn: SignInOutcome = await workspace.admin.signIn.sso('ada@springfield.k12.us');
  expect(signedIn.outcome).toBe('allowed');
  expect((await workspace.admin.sso.enforcement.set('sso_only')).level).toBe('sso_only');
  const user: Pick<ScimUser, 'userName'> = { userName: 'ada@springfield.k12.us' };
  expect(user.userName).toContain('@');
});
`,
  );
}

/** tsc over a consumer project (its tsconfig above); answers its output, empty when all is well. */
async function typeCheck(into: string): Promise<string> {
  const checked = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: into }).catch((e: { stdout: string }) => e);
  return checked.stdout;
}

/** Runs a consumer project's Vitest files; answers each file's test statuses by file name. */
async function runTests(into: string): Promise<Map<string, string[]>> {
  const report = join(into, 'vitest-report.json');
  // A failing test makes Vitest exit 1: the report still says which.
  const ran = await run(process.execPath, [vitestBin, 'run', '--root', into, '--reporter', 'json', '--outputFile', report], { cwd: into, env: { ...npmEnv(), CI: '1', NO_COLOR: '1' } }).catch(
    (e: { stdout: string; stderr: string }) => e,
  );
  if (!existsSync(report)) throw new Error(`Vitest wrote no report: ${ran.stdout}${ran.stderr}`);
  const { testResults } = JSON.parse(await readFile(report, 'utf8')) as { testResults: Array<{ name: string; assertionResults: Array<{ status: string }> }> };
  return new Map(testResults.map((f) => [f.name.split('/').pop()!, f.assertionResults.map((t) => t.status)]));
}

const projectTypes = once(() => typeCheck(project));
const projectTests = once(() => runTests(project));

/** Every file of an installed package (relative path, executable or not) with its bytes. */
async function packageFiles(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  // The bin's code cache (node_modules/.cache/edu-emulator/ inside the package, docs/cli.md §1) is
  // written by the consumer suites' commands, not installed: it is not part of the package.
  const runtimeCache = join(root, 'node_modules', '.cache', 'edu-emulator');
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (path.startsWith(runtimeCache + sep)) continue;
    const executable = ((await stat(path)).mode & 0o111) !== 0;
    files.set(`${path.slice(root.length + 1)}${executable ? ' (executable)' : ''}`, await readFile(path));
  }
  return files;
}

/** The installed version of every package a consumer project holds, but the emulator itself. */
async function dependencyVersions(into: string): Promise<Record<string, string>> {
  const lock = join(into, 'node_modules/.package-lock.json');
  if (existsSync(lock)) {
    const { packages } = JSON.parse(await readFile(lock, 'utf8')) as { packages: Record<string, { version?: string }> };
    return Object.fromEntries(Object.entries(packages).filter(([path]) => path !== `node_modules/${pkg.name}`).map(([path, p]) => [path, p.version ?? '']));
  }
  // Laid out by hand: the dependencies are links to ours.
  const names = [...Object.keys(pkg.dependencies), 'msw', 'vitest', '@types/node'];
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, (JSON.parse(await readFile(join(into, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version])));
}

/**
 * Installs a package spec into an empty project offline, or lays the packed tarball out by hand
 * (`packed` makes that tarball only when it is needed). `ignoreScripts` skips the dependencies'
 * install scripts (ssh2's optional native bindings, compiled when a compiler is around).
 */
async function installInto(into: string, spec: string, packed: string | (() => Promise<string>), ignoreScripts = false): Promise<'npm' | 'links'> {
  await mkdir(into, { recursive: true });
  await writeFile(join(into, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  let by: 'npm' | 'links' = 'npm';
  try {
    await run('npm', ['install', '--save-dev', spec, '--offline', '--no-audit', '--no-fund', ...(ignoreScripts ? ['--ignore-scripts'] : [])], { cwd: into, env: npmEnv() });
  } catch {
    // Some dependency is not in the npm cache: the package as npm would lay it out, dependencies linked.
    by = 'links';
    const target = join(into, 'node_modules', pkg.name);
    await mkdir(target, { recursive: true });
    await run('tar', ['-xzf', typeof packed === 'string' ? packed : await packed(), '-C', target, '--strip-components=1']);
    for (const name of Object.keys(pkg.dependencies)) await link(name, into);
    await mkdir(join(into, 'node_modules/.bin'), { recursive: true });
    await symlink(join(target, 'bin/edu-emulator.js'), join(into, 'node_modules/.bin/edu-emulator'));
  }
  // The optional peers and Node's types, as a user of the subpath exports would have them.
  for (const name of ['msw', 'vitest', '@types/node']) await link(name, into);
  return by;
}

describe('a consumer project', () => {
  it.concurrent('installed from the tarball: six concurrent tests verify one domain; SSO unlocks enforcement; strict types', async () => {
    // tests/district.test.ts in the one tsc and the one Vitest run of the consumer project.
    expect(await projectTypes()).toBe('');
    expect((await projectTests()).get('district.test.ts')).toEqual(Array(7).fill('passed'));
  }, 120_000);

  it.concurrent('installed from git+file:// (the committed HEAD, built by prepare): the same package, so the same suite passes', async () => {
    const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
    expect((await run('git', ['ls-tree', '-r', '--name-only', head, '--', 'dist'], { cwd: repo })).stdout, 'dist is not committed').toBe('');
    // Without an npm cache, what npm does with a git dependency, by hand: clone, install its
    // dependencies, run `prepare`, pack. (npm itself does all that when it can install offline.)
    const packByHand = async (): Promise<string> => {
      const clone = join(dir, 'clone');
      await run('git', ['clone', '--quiet', `file://${repo}`, clone]);
      await run('git', ['checkout', '--quiet', head], { cwd: clone });
      await symlink(join(repo, 'node_modules'), join(clone, 'node_modules'), 'dir');
      expect(existsSync(join(clone, 'dist')), 'dist is not committed').toBe(false);
      await run('npm', ['run', 'prepare'], { cwd: clone, env: npmEnv() });
      expect(existsSync(join(clone, 'dist/vitest/index.js')), 'prepare builds dist').toBe(true);
      // Packed into a folder of its own: the tarball of the other test has the same file name.
      const packDir = join(dir, 'from-git-pack');
      await mkdir(packDir);
      const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: clone, env: npmEnv() });
      const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
      return join(packDir, filename);
    };
    const consumer = join(dir, 'from-git');
    const by = await installInto(consumer, `git+file://${repo}#${head}`, packByHand);
    expect(['npm', 'links']).toContain(by);
    // Either way the installed package has a dist that only `prepare` can have made.
    expect(existsSync(join(consumer, 'node_modules', pkg.name, 'dist/vitest/index.js')), 'prepare builds dist').toBe(true);
    // The tarball above is packed from the working tree. When that is the committed HEAD (as on CI),
    // the package installed from git is the same, file for file and byte for byte, with the same
    // dependencies: the suite that passes on the one passes on the other (and a difference the
    // suite would not notice fails here too). With uncommitted changes, the suite runs on it.
    const changes = (await run('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo })).stdout;
    let same = false;
    if (changes === '') {
      const [fromGit, fromTarball] = await Promise.all([packageFiles(join(consumer, 'node_modules', pkg.name)), packageFiles(join(project, 'node_modules', pkg.name))]);
      const differ = [...new Set([...fromGit.keys(), ...fromTarball.keys()])].filter((f) => !fromGit.get(f)?.equals(fromTarball.get(f) ?? Buffer.alloc(0)) || !fromTarball.has(f));
      // A working tree's dist built incrementally may print a union's members in another order
      // than prepare's clean build (tsc prints them as it met them): declarations that differ
      // only so are judged by the suite below, like uncommitted changes. Any other file must match.
      // (A file only in the tarball may be left in dist by a source deleted since: rebuild dist from scratch.)
      expect(differ.filter((f) => !f.endsWith('.d.ts')), 'files that differ between the package from git and the one from the tarball').toEqual([]);
      expect(fromGit.size).toBeGreaterThan(100);
      expect(await dependencyVersions(consumer)).toEqual(await dependencyVersions(project));
      same = differ.length === 0;
    }
    if (same) {
      expect(await projectTypes()).toBe('');
      expect((await projectTests()).get('district.test.ts')).toEqual(Array(7).fill('passed'));
    } else {
      await writeConsumerSuite(consumer);
      expect(await typeCheck(consumer)).toBe('');
      expect((await runTests(consumer)).get('district.test.ts')).toEqual(Array(7).fill('passed'));
    }
  }, 240_000);
});
