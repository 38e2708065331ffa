// State the SAML service provider keeps between messages: outstanding AuthnRequest ids (for
// InResponseTo, SAML profiles §4.1.4.3) and used assertion ids (one-time use, §4.1.4.5).

import type { Clock } from '../../clock.js';

/** Outstanding AuthnRequest ids of one workspace. Implementations may persist them. */
export interface RequestIdStore {
  /** Records an AuthnRequest id just sent to the IdP. */
  remember(requestId: string): void | Promise<void>;
  /** Removes the id and returns true when it was outstanding (and not expired). */
  consume(requestId: string): boolean | Promise<boolean>;
}

/** Assertion ids already accepted, each kept until its assertion can no longer be valid. */
export interface AssertionReplayCache {
  /**
   * Records the id until `expiresAtMs`; returns false when the id was already recorded
   * (a replay). Must be atomic for one id.
   */
  remember(assertionId: string, expiresAtMs: number): boolean | Promise<boolean>;
}

/**
 * In-memory request ids, each valid for `ttlMs` (default 10 minutes) of emulator time. All ids
 * share one lifetime, so the Map's insertion order is expiry order and pruning stops at the
 * first live id: constant cost per request, whatever the number outstanding.
 */
export class InMemoryRequestIdStore implements RequestIdStore {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  remember(requestId: string): void {
    this.prune();
    this.ids.delete(requestId);
    this.ids.set(requestId, this.clock.nowMs() + this.ttlMs);
  }

  consume(requestId: string): boolean {
    this.prune();
    const until = this.ids.get(requestId);
    if (until === undefined) return false;
    this.ids.delete(requestId);
    return until > this.clock.nowMs();
  }

  /** Number of outstanding ids. */
  get size(): number {
    this.prune();
    return this.ids.size;
  }

  private prune(): void {
    const now = this.clock.nowMs();
    for (const [id, until] of this.ids) {
      if (until > now) break;
      this.ids.delete(id);
    }
  }
}

/**
 * In-memory replay cache; ids whose validity has passed on the emulator clock are pruned. Expiry
 * times differ per assertion, so a full sweep runs only when the cache has doubled since the
 * last one: amortised constant cost per assertion.
 */
export class InMemoryReplayCache implements AssertionReplayCache {
  private readonly ids = new Map<string, number>();
  private sweepAt = 1_024;

  constructor(private readonly clock: Clock) {}

  remember(assertionId: string, expiresAtMs: number): boolean {
    const now = this.clock.nowMs();
    const until = this.ids.get(assertionId);
    if (until !== undefined && until > now) return false;
    this.ids.set(assertionId, expiresAtMs);
    if (this.ids.size >= this.sweepAt) {
      this.prune(now);
      this.sweepAt = Math.max(1_024, this.ids.size * 2);
    }
    return true;
  }

  /** Number of ids still remembered. */
  get size(): number {
    this.prune(this.clock.nowMs());
    return this.ids.size;
  }

  private prune(now: number): void {
    for (const [id, until] of this.ids) if (until <= now) this.ids.delete(id);
  }
}
