import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/** How often each gateway looks for tokens signed out at another. */
const POLL_MS = 1000;
/** How far back each look reaches past the last one: clocks of replicas differ a little. */
const OVERLAP_MS = 10_000;

/**
 * What a signed-out token is known by: the SHA-256 of what its signature
 * covers (header and payload as encoded), not of the whole text. The
 * signature's own encoding can be varied — spare bits of its last character,
 * padding — and still verify, so a token re-encoded that way was a token
 * never signed out; its signed part cannot vary without failing verification.
 */
const fingerprint = (token: string) =>
  createHash('sha256')
    .update(token.slice(0, Math.max(0, token.lastIndexOf('.'))))
    .digest('hex');

/**
 * Bearer tokens signed out of the console before they expired. Signing out
 * used to clear the console's cookie only, and the token it held — eight
 * hours of a reviewer's or an admin's rights — went on working wherever it had
 * been copied. Now the gateway that signs the token out records it (its
 * SHA-256, never the token) in the platform database, and every gateway
 * refuses it within a second: each keeps the hashes of the tokens signed out
 * and not yet expired in memory, and reads those signed out since it last
 * looked, every second. While none is, checking a token costs nothing; after
 * that, one SHA-256 of it.
 */
export class SignedOutTokens {
  /** Token hashes, with when each token expires (ms). */
  private readonly hashes = new Map<string, number>();
  private lookedAt = 0;
  /** Whether the tokens signed out have been looked for at least once (read, or the database was away). */
  loaded = false;
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> | undefined;

  constructor(private readonly db: Knex) {}

  /** Reads the tokens signed out and not expired, then follows new ones every second. */
  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  has(token: string): boolean {
    if (this.hashes.size === 0) return false;
    const until = this.hashes.get(fingerprint(token));
    return until !== undefined && until > Date.now();
  }

  /**
   * Signs `token`, which expires at `expiresAtSeconds`, out on every gateway:
   * here at once, at the others within a second. Resolves once recorded. The
   * caller has verified the token and read its expiry from it
   * (`Authenticator.signOut`): nobody records a token that is not one.
   */
  async signOut(token: string, expiresAtSeconds: number): Promise<void> {
    const expiresAt = expiresAtSeconds * 1000;
    if (expiresAt <= Date.now()) return;
    const hash = fingerprint(token);
    this.hashes.set(hash, expiresAt);
    await this.db('signed_out_tokens')
      .insert({
        token_sha256: hash,
        expires_at: new Date(expiresAt).toISOString(),
        signed_out_at: new Date().toISOString(),
      })
      .onConflict('token_sha256')
      .ignore();
    // Rows of expired tokens say nothing any more.
    await this.db('signed_out_tokens').where('expires_at', '<', new Date().toISOString()).delete();
  }

  /** Reads the tokens signed out since the last look (all of them the first time). */
  poll(): Promise<void> {
    this.looking ??= this.look().finally(() => {
      this.looking = undefined;
    });
    return this.looking;
  }

  private async look(): Promise<void> {
    const now = Date.now();
    try {
      const rows = await this.db('signed_out_tokens')
        .where('signed_out_at', '>=', new Date(this.lookedAt - OVERLAP_MS).toISOString())
        .andWhere('expires_at', '>', new Date(now).toISOString())
        .select<{ token_sha256: string; expires_at: string }[]>('token_sha256', 'expires_at');
      for (const row of rows) this.hashes.set(row.token_sha256, Date.parse(row.expires_at));
      this.lookedAt = now;
    } catch {
      // The platform database is away: the next look reaches back to the last one that read it.
    }
    this.loaded = true;
    for (const [hash, until] of this.hashes) if (until <= now) this.hashes.delete(hash);
  }
}
