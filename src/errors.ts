// The one error type of the emulator: a stable `code`, an HTTP status, a human message that says
// what was wrong and what to do. The app's `onError` maps it to the protocol's own form.

export interface EmulatorErrorInit {
  /** Stable machine-readable code, e.g. `invalid_domain`, `domain_claimed`, `saml_bad_signature`. */
  code: string;
  /** HTTP status to answer with (4xx for the caller's mistakes). */
  status: number;
  /** Human text: what was wrong, with which value, and what to do. */
  message: string;
  /** SCIM `scimType` (RFC 7644 §3.12) when the error is answered on a SCIM route. */
  scimType?: string;
  /** Extra structured detail returned beside code and message. */
  details?: Record<string, unknown>;
}

export class EmulatorError extends Error {
  readonly code: string;
  readonly status: number;
  readonly scimType?: string;
  readonly details?: Record<string, unknown>;

  constructor(init: EmulatorErrorInit) {
    super(init.message);
    this.name = 'EmulatorError';
    this.code = init.code;
    this.status = init.status;
    if (init.scimType !== undefined) this.scimType = init.scimType;
    if (init.details !== undefined) this.details = init.details;
  }
}

/** Shorthands for the common statuses. */
export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new EmulatorError({ code, status: 400, message, ...(details ? { details } : {}) });
export const notFound = (code: string, message: string) =>
  new EmulatorError({ code, status: 404, message });
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new EmulatorError({ code, status: 409, message, ...(details ? { details } : {}) });
export const unauthorized = (code: string, message: string) =>
  new EmulatorError({ code, status: 401, message });
export const forbidden = (code: string, message: string, details?: Record<string, unknown>) =>
  new EmulatorError({ code, status: 403, message, ...(details ? { details } : {}) });

export const isEmulatorError = (e: unknown): e is EmulatorError => e instanceof EmulatorError;
