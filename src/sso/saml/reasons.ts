// The stable `saml_<check>` reason codes of the SAML service provider and mock IdP, and the one
// helper that turns a failed check into an EmulatorError.

import { EmulatorError } from '../../errors.js';

/** Every reason code a SAML check can refuse with; public interface (docs/rules.md §13). */
export const SAML_REASONS = [
  'saml_malformed',
  'saml_doctype',
  'saml_schema_invalid',
  'saml_status',
  'saml_assertion_count',
  'saml_unsigned',
  'saml_weak_algorithm',
  'saml_bad_signature',
  'saml_untrusted_cert',
  'saml_wrong_issuer',
  'saml_destination_mismatch',
  'saml_audience_mismatch',
  'saml_recipient_mismatch',
  'saml_not_yet_valid',
  'saml_expired',
  'saml_unsolicited',
  'saml_unknown_request',
  'saml_in_response_to_mismatch',
  'saml_replayed',
  'saml_missing_email',
  'saml_metadata_invalid',
  'saml_request_invalid',
] as const;

export type SamlReason = (typeof SAML_REASONS)[number];

/** Builds the refusal for a failed SAML check (HTTP 400 unless told otherwise). */
export function samlError(
  code: SamlReason,
  message: string,
  details?: Record<string, unknown>,
  status = 400,
): EmulatorError {
  return new EmulatorError({ code, status, message, ...(details ? { details } : {}) });
}
