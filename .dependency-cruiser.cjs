// The import rules of src/ (docs/architecture.md has the map): checked by dependency-cruiser in
// `npm test`, so a layer break fails CI like a failing test.
/** The core: rules and state, testable without a surface. */
const CORE = '^src/(store|domains|members|groups|roles|signin|scim|sso|readiness|events|settings|conformance)/';
/** The surfaces that drive the core. */
const SURFACES = '^src/((ui|scenario|cli|openapi|msw|vitest|recorder)/|(app|app-routes|start|index)\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle makes modules load half-initialised and hides which layer owns what.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-not-surface',
      severity: 'error',
      comment: 'The core never reaches up into a surface (console, scenario engine, CLI, OpenAPI, MSW, Vitest, the app factory).',
      from: { path: CORE },
      to: { path: SURFACES },
    },
    {
      name: 'sso-not-idp',
      severity: 'error',
      comment: 'The product does not depend on its own mock: the mock IdP plugs into the connection API from its side.',
      from: { path: '^src/sso/' },
      to: { path: '^src/idp/' },
    },
    {
      name: 'scenario-not-app',
      severity: 'error',
      comment: 'The scenario engine runs on any target; whoever drives it (CLI, console) builds the emulator.',
      from: { path: '^src/scenario/' },
      to: { path: '^src/((ui|cli)/|(app|app-routes|start|index)\\.ts$)' },
    },
    {
      name: 'console-not-scenario-internals',
      severity: 'error',
      comment: 'The console drives the step session (session.ts, runner.ts, bundled.ts), never the steps, context or comparison inside it.',
      from: { path: '^src/ui/' },
      to: { path: '^src/scenario/(context|steps|compare)\\.ts$' },
    },
    {
      name: 'store-imports-little',
      severity: 'error',
      comment: 'The store holds data; it imports only errors, the clock and ids.',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: ['^src/store/', '^src/(errors|clock|ids)\\.ts$'] },
    },
    {
      name: 'emulator-http-free',
      severity: 'error',
      comment: 'emulator.ts builds the core without HTTP: no hono, no node-server anywhere beneath it.',
      from: { path: '^src/emulator\\.ts$' },
      to: { path: '(^|/)node_modules/(hono|@hono)/', reachable: true },
    },
    {
      name: 'listen-not-app',
      severity: 'error',
      comment: 'http/listen.ts serves any fetch handler; the app factory hands itself in.',
      from: { path: '^src/http/listen\\.ts$' },
      to: { path: '^src/app\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: { path: ['^src/', 'node_modules/(hono|@hono)/'] },
    exclude: { path: '\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
