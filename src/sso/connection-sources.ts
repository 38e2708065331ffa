// Connections built by something other than the values an admin pastes: a source claims a field
// of the PUT /api/sso body (the mock IdP claims `mockIdp`) and registers itself on the core, so
// sso/ never imports what plugs into it.
import { runtimeSlot, type EmulatorCore } from '../emulator.js';
import type { WorkspaceState } from '../store/state.js';
import { parseConnection, type SsoConnection } from './connection.js';

/** Builds a workspace's connection from a request body that names this source. */
export interface ConnectionSource {
  /** `check` runs on the built connection before the source changes anything of its own (the swap guard). */
  connect(core: EmulatorCore, ws: WorkspaceState, origin: string, raw: Record<string, unknown>, actor: string, check: (connection: SsoConnection) => void): SsoConnection;
}

/** The registered sources, by the body field that asks for each. */
export const CONNECTION_SOURCES = runtimeSlot('sso connection sources', () => new Map<string, ConnectionSource>());

/** Lets a PUT /api/sso body carrying `field` be answered by `source`. */
export function registerConnectionSource(core: EmulatorCore, field: string, source: ConnectionSource): void {
  core.runtime(CONNECTION_SOURCES).set(field, source);
}

/**
 * The connection a PUT /api/sso body asks for: built by the registered source whose field it
 * carries, else parsed from its own values. Throws 400 or 404 naming the problem; changes nothing.
 */
export function connectionFromRequest(
  core: EmulatorCore,
  ws: WorkspaceState,
  origin: string,
  raw: unknown,
  actor: string,
  check: (connection: SsoConnection) => void = () => {},
): SsoConnection {
  if (typeof raw === 'object' && raw !== null) {
    for (const [field, source] of core.runtime(CONNECTION_SOURCES)) {
      if (field in raw) return source.connect(core, ws, origin, raw as Record<string, unknown>, actor, check);
    }
  }
  return parseConnection(raw);
}
