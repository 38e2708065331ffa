// Training: reset the workspace, load a bundled scenario's set-up, and step through a scenario one
// step at a time, each step's result shown with a link to the page where it shows.
import { workspaceApi } from '../admin-api.js';
import { FormProblem, required, type Action } from '../actions.js';
import { ActionForm, Badge, Layout, pageTitle, type PageContext } from '../layout.js';
import {
  bundledScenarios,
  currentWalkthrough,
  loadSetup,
  nextStep,
  resetWorkspace,
  startWalkthrough,
  STEP_PAGE,
  stepLabel,
  stopWalkthrough,
  type StepReport,
} from '../training.js';
import type { ConsoleUser } from '../console-auth.js';

const StepOutcome = ({ r, base }: { r: StepReport; base: string }) => (
  <>
    {r.message ? <span>{r.message}</span> : null}
    {r.diffs?.length ? (
      <ul>
        {r.diffs.map((d) => (
          <li>
            <code>{d.path || '(value)'}</code>: expected <code>{JSON.stringify(d.expected)}</code>, got <code>{JSON.stringify(d.actual)}</code>
          </li>
        ))}
      </ul>
    ) : null}{' '}
    {STEP_PAGE[r.step] ? <a href={`${base}/admin/${STEP_PAGE[r.step]}`}>See it on {pageTitle(STEP_PAGE[r.step]!)}</a> : null}
  </>
);

export async function trainingPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const files = await bundledScenarios();
  const walkthrough = currentWalkthrough(c);
  const w = walkthrough && { file: walkthrough.file, scenario: walkthrough.session.scenario, results: walkthrough.session.results };
  const readiness = await workspaceApi(c, user).readiness();
  const passing = readiness.filter((i) => i.status === 'pass').length;
  const isKey = user.kind === 'key';
  const ScenarioPicker = ({ id }: { id: string }) => (
    <div>
      <label for={id}>Bundled scenario</label>
      <select id={id} name="scenario">
        {files.map((f) => (
          <option value={f} selected={w?.file === f}>
            {f}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Layout ctx={ctx} page="training" title="Training">
      <h1 data-focus>Training</h1>
      <p class="lead">
        Replay the district rollout as often as you like. Nothing here is real: the identity provider, the DNS zone and the workspace are
        all emulated.
      </p>
      {!isKey ? (
        <div class="notice warn">
          <p>Resetting and loading scenarios needs the emulator admin key: open the console with <code>?key=&lt;admin key&gt;</code>.</p>
        </div>
      ) : (
        <>
          <section class="card" aria-labelledby="walk-h">
            <h2 id="walk-h">Step through a scenario</h2>
            {w ? (
              <>
                <p>
                  <strong>{w.scenario.name}</strong> <span class="muted">({w.file})</span> — {w.results.length} of {w.scenario.steps.length} steps run.
                  Launch readiness: {passing} of {readiness.length} items pass.
                </p>
                <ol class="steps" id="walkthrough">
                  {w.scenario.steps.map((s, i) => {
                    const r = w.results[i];
                    return (
                      <li class={i === w.results.length ? 'current' : undefined} data-step={i} aria-current={i === w.results.length ? 'step' : undefined}>
                        <span>{r ? <Badge value={r.status === 'passed' ? 'pass' : 'fail'} label={r.status} /> : i === w.results.length ? <Badge value="info" label="next" /> : <span class="muted">to do</span>}</span>
                        <div>
                          <span class="mono">{stepLabel(s)}</span>
                          {r ? (
                            <div>
                              <StepOutcome r={r} base={base} />
                            </div>
                          ) : null}
                        </div>
                      </li>
                    );
                  })}
                </ol>
                <div class="actions">
                  {w.results.length < w.scenario.steps.length ? (
                    <>
                      <ActionForm action={`${base}/admin/training/next`} inplace>
                        <button type="submit" id="next-step">
                          Run the next step
                        </button>
                      </ActionForm>
                      <ActionForm action={`${base}/admin/training/finish`} inplace>
                        <button type="submit" class="secondary">
                          Run to the end
                        </button>
                      </ActionForm>
                    </>
                  ) : (
                    <p>
                      <Badge value="ok" label="finished" /> Every step has run.
                    </p>
                  )}
                  <ActionForm action={`${base}/admin/training/stop`}>
                    <button type="submit" class="secondary">
                      Stop stepping
                    </button>
                  </ActionForm>
                </div>
              </>
            ) : (
              <ActionForm action={`${base}/admin/training/start`}>
                <p>This rebuilds the workspace with the scenario's workspace and identity provider, then waits for you to run each step.</p>
                <div class="row">
                  <ScenarioPicker id="walk-scenario" />
                  <button type="submit">Start stepping</button>
                </div>
              </ActionForm>
            )}
          </section>
          <section class="card" aria-labelledby="setup-h">
            <h2 id="setup-h">Load a scenario's set-up</h2>
            <p>Rebuilds this workspace with everything the scenario sets up (domain, SSO, SCIM, roles…), skipping its checks.</p>
            <ActionForm action={`${base}/admin/training/load`} confirm="Replace this workspace with the scenario's set-up?">
              <div class="row">
                <ScenarioPicker id="setup-scenario" />
                <button type="submit">Load set-up</button>
              </div>
            </ActionForm>
          </section>
          <section class="card" aria-labelledby="reset-h">
            <h2 id="reset-h">Reset the workspace</h2>
            <p>Back to an empty workspace with the same id and name: no domains, no SSO, no members. Mock identity providers stay.</p>
            <ActionForm action={`${base}/admin/training/reset`} confirm="Reset this workspace to empty?">
              <button type="submit" class="danger">
                Reset the workspace
              </button>
            </ActionForm>
          </section>
        </>
      )}
    </Layout>
  );
}

function requireKey(user: ConsoleUser): ConsoleUser & { kind: 'key' } {
  if (user.kind !== 'key') throw new FormProblem('Training actions need the emulator admin key: open the console with ?key=<admin key>.');
  return user;
}

export const trainingActions: Record<string, Action> = {
  async reset({ c, user }) {
    await resetWorkspace(c, requireKey(user));
    return { tone: 'ok', text: 'The workspace is reset: empty, as at creation.' };
  },
  async load({ c, user }, form) {
    const report = await loadSetup(c, requireKey(user), required(form, 'scenario', 'the scenario'));
    const failed = report.steps.find((s) => s.status === 'failed');
    if (failed) return { tone: 'error', text: `The set-up stopped at step "${failed.label ?? failed.step}": ${failed.message ?? ''}` };
    const ran = report.steps.filter((s) => s.status === 'passed').length;
    return { tone: 'ok', text: `Loaded the set-up of "${report.name}": ${ran} steps ran.`, details: ['Walk through the pages in order to show what it did.'] };
  },
  async start({ c, user }, form) {
    const w = await startWalkthrough(c, requireKey(user), required(form, 'scenario', 'the scenario'));
    return { tone: 'ok', text: `Ready to step through "${w.session.scenario.name}": ${w.session.scenario.steps.length} steps.` };
  },
  async next({ c }) {
    const w = currentWalkthrough(c);
    if (!w) throw new FormProblem('No scenario is being stepped through: start one first.');
    const r = await nextStep(w);
    if (!r) return { tone: 'info', text: 'Every step has already run.' };
    return { tone: r.status === 'passed' ? 'ok' : 'error', text: `Step ${w.session.results.length}: ${r.label} — ${r.status}.`, ...(r.message ? { details: [r.message] } : {}) };
  },
  async finish({ c }) {
    const w = currentWalkthrough(c);
    if (!w) throw new FormProblem('No scenario is being stepped through: start one first.');
    while (await nextStep(w));
    const failed = w.session.results.filter((r) => r.status === 'failed').length;
    return { tone: failed ? 'error' : 'ok', text: `Ran to the end: ${w.session.results.length - failed} passed, ${failed} failed.` };
  },
  async stop({ c }) {
    stopWalkthrough(c);
    return { tone: 'info', text: 'Stopped stepping; the workspace stays as it is.' };
  },
};
