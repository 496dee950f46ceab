import { ErrorCode } from '../../schema/index.ts';
import { metrics, type CallerLimits, type Logger } from '../../server/index.ts';
import { consumerKey } from './callerLimits.ts';
import { takeShare, type ConsumerRateLimiter } from './ConsumerRateLimiter.ts';

/** How often the counts are written to the operator's log. */
const REPORT_MS = 10_000;
/** Addresses counted between two reports before the rest are counted under one line. */
const MOST_ADDRESSES = 10_000;

/**
 * The anonymous shares of requests per second, taken on arrival by every
 * request of a caller without an identity (no credential, or one that did not
 * verify) from its network address's share, before its document is parsed or
 * a refused credential is recorded. Past the share such a request is refused
 * with 429 and no record of its own: it is counted here and written to the
 * operator's log every ten seconds as one line per address — so a flood of
 * forged tokens or anonymous requests costs a counter, not a durable audit
 * record each, and the audit store grows by at most the share.
 */
export class AnonymousShares {
  private counts = new Map<string, number>();
  private overflow = 0;
  private since = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly rates: ConsumerRateLimiter,
    private readonly limits: CallerLimits,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.report(), REPORT_MS);
    this.timer.unref();
  }

  /** Takes one request of `clientAddress`'s share; throws the 429 refusal, counted, once it is spent. */
  async take(clientAddress: string | null, requestId: string): Promise<void> {
    const consumer = consumerKey(null, clientAddress);
    try {
      await takeShare(this.rates, 'requestsPerSecond', consumer, 1, this.limits, requestId);
    } catch (refusal) {
      this.count(clientAddress);
      metrics.refusal(ErrorCode.RATE_LIMITED, 'requestsPerSecond');
      throw refusal;
    }
  }

  private count(address: string | null): void {
    const key = address ?? 'unknown';
    const counted = this.counts.get(key);
    if (counted !== undefined) this.counts.set(key, counted + 1);
    else if (this.counts.size < MOST_ADDRESSES) this.counts.set(key, 1);
    else this.overflow++;
  }

  /** Writes what was counted since the last report, and starts counting again. */
  private report(): void {
    const seconds = Math.round((Date.now() - this.since) / 1000);
    for (const [clientAddress, refused] of this.counts) {
      this.logger.warn(
        { clientAddress, refused, seconds },
        "requests without an identity refused past their address's share, counted and not recorded one by one",
      );
    }
    if (this.overflow > 0) {
      this.logger.warn(
        { addresses: 'others', refused: this.overflow, seconds },
        "requests without an identity refused past their address's share, from more addresses than are listed one by one",
      );
    }
    this.counts = new Map();
    this.overflow = 0;
    this.since = Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
    this.report();
  }
}
