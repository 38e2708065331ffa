// What the mock OpenID provider has handed out and not yet seen back: one-time authorization codes
// and access tokens, each living for one fixed lifetime on the emulator clock.
import type { Clock } from '../../clock.js';
import type { MockOidcFault } from './faults.js';

/** What an authorization code stands for, from the authorization request to the token request. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  scope: string;
  email: string;
  fault: MockOidcFault | undefined;
  authTime: number;
  expiresAtMs: number;
}

/** What an access token stands for at the userinfo endpoint. */
export interface AccessGrant {
  claims: Record<string, unknown>;
  expiresAtMs: number;
}

// Codes and tokens each share one lifetime, so insertion order is expiry order: drop expired
// ones from the front and stop at the first live one (constant cost per request).
function dropExpired(map: Map<string, { expiresAtMs: number }>, now: number): void {
  for (const [key, grant] of map) {
    if (grant.expiresAtMs > now) break;
    map.delete(key);
  }
}

export class GrantStore {
  private readonly codes = new Map<string, CodeGrant>();
  private readonly accessTokens = new Map<string, AccessGrant>();

  constructor(
    private readonly clock: Clock,
    private readonly codeTtlMs: number,
    private readonly tokenTtlMs: number,
  ) {}

  /** Forgets expired codes and tokens. */
  sweep(): void {
    const now = this.clock.nowMs();
    dropExpired(this.codes, now);
    dropExpired(this.accessTokens, now);
  }

  /** Remembers a new code's grant; it expires after the code lifetime. */
  issueCode(code: string, grant: Omit<CodeGrant, 'expiresAtMs'>): void {
    this.sweep();
    this.codes.set(code, { ...grant, expiresAtMs: this.clock.nowMs() + this.codeTtlMs });
  }

  /**
   * The grant of a code, consumed on first use whatever the outcome (RFC 6749 §4.1.2: one-time
   * codes); an expired code's grant is returned too, for the caller to refuse it by name.
   */
  takeCode(code: string): CodeGrant | undefined {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    return grant;
  }

  isExpired(grant: { expiresAtMs: number }): boolean {
    return grant.expiresAtMs <= this.clock.nowMs();
  }

  /** Remembers an access token's claims for the userinfo endpoint. */
  issueAccessToken(token: string, claims: Record<string, unknown>): void {
    this.accessTokens.set(token, { claims, expiresAtMs: this.clock.nowMs() + this.tokenTtlMs });
  }

  /** The claims behind a live access token, or undefined (unknown or expired). */
  accessGrant(token: string | undefined): AccessGrant | undefined {
    const grant = token === undefined ? undefined : this.accessTokens.get(token);
    return grant && !this.isExpired(grant) ? grant : undefined;
  }
}
