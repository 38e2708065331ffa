// SAML 2.0 schema validation (samlify-validator-js: xmllint compiled to JavaScript, no Java) in a
// worker thread, started once per process on first use: compiling the validator takes seconds of
// CPU, which would otherwise stall every request of the emulator while it happens.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { EmulatorError } from '../../errors.js';

const validatorPath = createRequire(import.meta.url).resolve('samlify-validator-js');

// The worker's code, CommonJS; it validates each message and answers {id, ok}.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const validator = require(${JSON.stringify(validatorPath)});
parentPort.on('message', ({ id, xml }) => {
  validator.validate(xml).then(() => parentPort.postMessage({ id, ok: true }), () => parentPort.postMessage({ id, ok: false }));
});
`;

// A minimal valid Response, so that warming up compiles the schemas.
const WARM_UP_XML =
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_warm" Version="2.0" IssueInstant="2000-01-01T00:00:00Z">' +
  '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>';

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (ok: boolean) => void; reject: (e: Error) => void }>();

function startWorker(): Worker {
  if (worker) return worker;
  // The source is CommonJS: a parent started with --input-type=module must not pass that on.
  const execArgv = process.execArgv.filter((a, i, all) => !a.startsWith('--input-type') && all[i - 1] !== '--input-type');
  const w = new Worker(WORKER_SOURCE, { eval: true, execArgv });
  w.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
    waiting.get(id)?.resolve(ok);
    waiting.delete(id);
    if (waiting.size === 0) w.unref();
  });
  const fail = (e: Error) => {
    for (const p of waiting.values()) p.reject(e);
    waiting.clear();
    worker = undefined;
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the SAML schema validator stopped (exit ${code})`)));
  // Idle, the thread keeps nobody's process alive; a check in flight does (see validateInWorker).
  w.unref();
  worker = w;
  return w;
}

/**
 * Starts compiling the validator in the background (when SAML is configured or a sign-in starts).
 * The warm-up alone never keeps a process alive.
 */
export function warmUpSamlSchema(): void {
  if (worker) return;
  const w = startWorker();
  const id = nextId++;
  waiting.set(id, { resolve: () => undefined, reject: () => undefined });
  w.postMessage({ id, xml: WARM_UP_XML });
}

function validateInWorker(xml: string): Promise<boolean> {
  const w = startWorker();
  const id = nextId++;
  return new Promise<boolean>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, xml });
  });
}

/**
 * Whether a SAML protocol message conforms to the SAML 2.0 protocol and assertion schemas (and
 * XML-DSig, XML-Enc). The first call in a process waits for the validator to compile.
 */
export function conformsToSamlSchema(xml: string): Promise<boolean> {
  return validateInWorker(xml).catch((e: unknown) => {
    throw new EmulatorError({
      code: 'saml_schema_unavailable',
      status: 503,
      message: `The SAML schema validator is not available (${e instanceof Error ? e.message : String(e)}); nothing was changed. Try the sign-in again.`,
    });
  });
}
