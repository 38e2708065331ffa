// Test support: an emulator built with the app factory and a small JSON caller over app.request().
import { createEmulator, type EmulatorOptions } from '../../src/app.js';

export interface CallResult {
  status: number;
  body: any;
  headers: Headers;
}

export function inProcess(options: EmulatorOptions = {}) {
  const emulator = createEmulator({ adminKey: 'test-admin-key', ...options });
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    init: { auth?: string | null; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<CallResult> => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const auth = init.auth === undefined ? emulator.adminKey : init.auth;
    if (auth !== null) headers.Authorization = `Bearer ${auth}`;
    let payload: string | undefined = init.raw;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await emulator.app.request(path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  /** The persisted state without the fields that change on every read. */
  const state = async () => {
    const s = (await call('GET', '/_emulator/state')).body;
    delete s.savedAt;
    return s;
  };
  return { emulator, call, state };
}
