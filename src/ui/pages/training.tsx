// Training: reset the workspace, load a bundled scenario's set-up, and step through a scenario one
// step at a time, each step's result shown with a link to the page where it shows.
import { workspaceApi } from '../admin-api.js';
import { FormProblem, required, type Action } from '../actions.js';
import { ActionForm, Badge, DeveloperDetails, Layout, pageTitle, type PageContext } from '../layout.js';
import { expectedRefusal, stepInWords } from '../step-words.js';
import {
  bundledScenarioNames,
  currentWalkthrough,
  loadSetup,
  nextStep,
  resetWorkspace,
  startWalkthrough,
  STEP_PAGE,
  stopWalkthrough,
  type StepReport,
} from '../training.js';
import type { ConsoleUser } from '../console-auth.js';

/** How a step turned out, in words: done, refused as expected, or not as the scenario expects. */
function outcomeOf(r: StepReport | undefined, refusal: string | undefined) {
  if (!r) return { tone: 'muted', label: 'to do' };
  if (r.status === 'passed') return refusal ? { tone: 'expected', label: 'refused, as expected' } : { tone: 'pass', label: 'passed' };
  return { tone: 'fail', label: r.status === 'skipped' ? 'skipped' : 'not as expected' };
}

const StepOutcome = ({ r, base }: { r: StepReport; base: string }) => (
  <>
    {r.status === 'failed' ? <span>This did not turn out as the scenario expects. </span> : null}
    {STEP_PAGE[r.step] ? <a href={`${base}/admin/${STEP_PAGE[r.step]}`}>See it on {pageTitle(STEP_PAGE[r.step]!)}</a> : null}
    {r.status === 'failed' && (r.message || r.diffs?.length) ? (
      <DeveloperDetails
        text={[r.message ?? '', ...(r.diffs ?? []).map((d) => `${d.path || '(value)'}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`)].filter(Boolean).join(' · ')}
      />
    ) : null}
  </>
);

export async function trainingPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const scenarios = await bundledScenarioNames();
  const walkthrough = currentWalkthrough(c);
  const w = walkthrough && { file: walkthrough.file, scenario: walkthrough.session.scenario, results: walkthrough.session.results, states: walkthrough.states };
  const readiness = await workspaceApi(c, user).readiness();
  const passing = readiness.filter((i) => i.status === 'pass').length;
  const isKey = user.kind === 'key';
  const ScenarioPicker = ({ id }: { id: string }) => (
    <div>
      <label for={id}>Scenario</label>
      <select id={id} name="scenario">
        {scenarios.map((f) => (
          <option value={f.file} selected={w?.file === f.file}>
            {f.name}
          </option>
        ))}
      </select>
    </div>
  );
  // The step shown in the step panel: ?step=N (1-based), else the last step run.
  const asked = Number(c.req.query('step'));
  const ran = w?.results.length ?? 0;
  const view = w ? (Number.isInteger(asked) && asked >= 1 && asked <= Math.max(ran, 1) ? asked - 1 : Math.max(ran - 1, 0)) : 0;
  const viewed = w?.scenario.steps[view];
  const viewedResult = w?.results[view];
  const viewedRefusal = viewed ? expectedRefusal(viewed) : undefined;
  const viewedOutcome = outcomeOf(viewedResult, viewedRefusal);
  return (
    <Layout ctx={ctx} page="training" title="Training">
      <h1 data-focus>Training</h1>
      <p class="lead">
        Replay the district rollout as often as you like. Nothing here is real: the identity provider, the DNS zone and the workspace are
        all emulated.
      </p>
      {!isKey ? (
        <div class="notice warn">
          <p>Resetting and loading scenarios needs the emulator admin key: open the console with the key the emulator printed when it started.</p>
        </div>
      ) : (
        <>
          <section class="card" aria-labelledby="walk-h">
            <h2 id="walk-h">Guided mode: step through a scenario</h2>
            {w && viewed ? (
              <>
                <p>
                  <strong id="walk-name">{w.scenario.name}</strong> — {ran} of {w.scenario.steps.length} steps run. Launch readiness: {passing} of{' '}
                  {readiness.length} items pass.
                </p>
                <div class="notice" id="step-view" data-viewed={view} aria-live="polite">
                  <p>
                    <strong>
                      Step {view + 1} of {w.scenario.steps.length}: {stepInWords(viewed)}
                    </strong>{' '}
                    {viewedResult ? <Badge value={viewedOutcome.tone} label={viewedOutcome.label} /> : <span class="muted">not run yet</span>}
                  </p>
                  {viewedResult && viewedRefusal && viewedResult.status === 'passed' ? (
                    <p id="step-expected">
                      Refused, as expected: {viewedRefusal}. The workspace's guard works; nothing changed.
                    </p>
                  ) : null}
                  {viewedResult ? (
                    <>
                      <div>
                        <StepOutcome r={viewedResult} base={base} />
                      </div>
                      <p class="state" id="step-state">
                        The workspace after this step: {w.states[view] ?? 'not recorded'}
                      </p>
                    </>
                  ) : null}
                  <div class="actions">
                    {view > 0 ? (
                      <a class="button secondary small" href={`${base}/admin/training?step=${view}`} id="previous-step">
                        ← Previous step
                      </a>
                    ) : null}
                    {view + 1 < ran ? (
                      <a class="button secondary small" href={`${base}/admin/training?step=${view + 2}`} id="following-step">
                        Next step →
                      </a>
                    ) : null}
                  </div>
                </div>
                <div class="actions">
                  {ran < w.scenario.steps.length ? (
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
                <h3>All the steps</h3>
                <ol class="steps" id="walkthrough">
                  {w.scenario.steps.map((s, i) => {
                    const r = w.results[i];
                    const refusal = expectedRefusal(s);
                    const o = outcomeOf(r, refusal);
                    return (
                      <li class={i === ran ? 'current' : undefined} data-step={i} data-expected-refusal={refusal ? 'true' : undefined} aria-current={i === ran ? 'step' : undefined}>
                        <span>{r ? <Badge value={o.tone} label={o.label} /> : i === ran ? <Badge value="info" label="next" /> : <span class="muted">to do</span>}</span>
                        <div>
                          <span>{stepInWords(s)}</span>
                          {refusal ? <span class="muted"> — expected to be refused: {refusal}</span> : null}
                          {r ? (
                            <div>
                              <a href={`${base}/admin/training?step=${i + 1}`}>Step {i + 1} in detail</a>
                              {STEP_PAGE[s.name] ? (
                                <>
                                  {' · '}
                                  <a href={`${base}/admin/${STEP_PAGE[s.name]}`}>See it on {pageTitle(STEP_PAGE[s.name]!)}</a>
                                </>
                              ) : null}
                              {w.states[i] ? <p class="state">After it: {w.states[i]}</p> : null}
                            </div>
                          ) : null}
                        </div>
                      </li>
                    );
                  })}
                </ol>
              </>
            ) : (
              <ActionForm
                action={`${base}/admin/training/start`}
                confirm="Start stepping? This replaces everything in this workspace (domains, SSO, members, groups, roles) and the mock identity provider of the same id with the scenario's starting point."
              >
                <p>
                  This rebuilds the workspace with the scenario's workspace and identity provider, then waits for you to run each step. It
                  asks first, because it replaces what is in the workspace now.
                </p>
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
  async next({ c, user }) {
    const w = currentWalkthrough(c);
    if (!w) throw new FormProblem('No scenario is being stepped through: start one first.');
    const r = await nextStep(c, user, w);
    if (!r) return { tone: 'info', text: 'Every step has already run.' };
    const n = w.session.results.length;
    const step = w.session.scenario.steps[n - 1]!;
    const refusal = expectedRefusal(step);
    const words = stepInWords(step);
    if (r.status === 'passed') {
      return { tone: 'ok', text: refusal ? `Step ${n}: ${words} — refused, as expected: ${refusal}.` : `Step ${n}: ${words} — done.` };
    }
    return { tone: 'error', text: `Step ${n}: ${words} — this did not turn out as the scenario expects.`, ...(r.message ? { developer: r.message } : {}) };
  },
  async finish({ c, user }) {
    const w = currentWalkthrough(c);
    if (!w) throw new FormProblem('No scenario is being stepped through: start one first.');
    while (await nextStep(c, user, w));
    const failed = w.session.results.filter((r) => r.status === 'failed').length;
    return { tone: failed ? 'error' : 'ok', text: `Ran to the end: ${w.session.results.length - failed} steps as expected, ${failed} not.` };
  },
  async stop({ c }) {
    stopWalkthrough(c);
    return { tone: 'info', text: 'Stopped stepping; the workspace stays as it is.' };
  },
};
