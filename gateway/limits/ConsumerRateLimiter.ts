import { rateLimited } from '../../schema/index.ts';
import type { CallerLimits, Logger } from '../../server/index.ts';

/**
 * Takes up to `wanted` units of a consumer's share `limit` for the one-second
 * window `windowStart`, from the count every replica shares; resolves to how
 * many it got (fewer once the share is spent).
 */
export type ReserveUnits = (
  consumerKey: string,
  windowStart: number,
  wanted: number,
  limit: number,
) => Promise<number>;

interface Bucket {
  windowStart: number;
  /** Units this replica holds for the window (reserved from the shared count). */
  granted: number;
  used: number;
  /** The shared count has no more for this window. */
  spent: boolean;
  reserving: Promise<void> | null;
}

/** Parts of a share a replica reserves at a time: a tenth, so replicas share it fairly. */
const CHUNKS_PER_SHARE = 10;
/** Consumers remembered before the oldest windows are forgotten. */
const MOST_BUCKETS = 50_000;

/**
 * Per-consumer shares per second (requests, estimated cost), shared by every
 * gateway replica without a database write per request: each replica reserves
 * a tenth of a consumer's share for the current second from the shared count,
 * hands it out locally, and reserves the next tenth in the background when half
 * of the one it holds is used, so a request waits for the database only when a
 * burst outruns that. Windows are whole seconds of the wall clock, the same on
 * every replica. If the shared count cannot be reached, the replica grants
 * itself one chunk per window (logged), so each replica still enforces a bound.
 */
export class ConsumerRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly reserve: ReserveUnits,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes `amount` units of `key`'s share `limit` for this second. Resolves to
   * null when taken, or to the whole seconds until the share is renewed.
   */
  async take(key: string, amount: number, limit: number): Promise<number | null> {
    const windowStart = Math.floor(this.now() / 1000);
    const bucket = this.bucket(key, windowStart);
    const chunk = Math.max(1, Math.ceil(limit / CHUNKS_PER_SHARE));
    for (;;) {
      if (bucket.used + amount <= bucket.granted) {
        bucket.used += amount;
        if (!bucket.spent && !bucket.reserving && bucket.granted - bucket.used < chunk / 2) {
          void this.reserveMore(key, bucket, chunk, limit);
        }
        return null;
      }
      if (bucket.spent) return Math.max(1, windowStart + 1 - Math.floor(this.now() / 1000));
      await this.reserveMore(
        key,
        bucket,
        Math.max(chunk, amount - (bucket.granted - bucket.used)),
        limit,
      );
    }
  }

  private bucket(key: string, windowStart: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.windowStart !== windowStart) {
      if (this.buckets.size >= MOST_BUCKETS) this.forgetBefore(windowStart);
      bucket = { windowStart, granted: 0, used: 0, spent: false, reserving: null };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private reserveMore(key: string, bucket: Bucket, wanted: number, limit: number): Promise<void> {
    bucket.reserving ??= this.reserve(key, bucket.windowStart, wanted, limit)
      .then(
        (got) => {
          bucket.granted += got;
          if (got < wanted) bucket.spent = true;
        },
        (error: unknown) => {
          this.logger.warn(
            { err: error, consumer: key },
            'the shared rate count could not be reached; this gateway grants one chunk on its own',
          );
          bucket.granted += wanted;
          bucket.spent = true;
        },
      )
      .finally(() => {
        bucket.reserving = null;
      });
    return bucket.reserving;
  }

  private forgetBefore(windowStart: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.windowStart < windowStart) this.buckets.delete(key);
    }
    if (this.buckets.size >= MOST_BUCKETS) this.buckets.clear();
  }
}

/**
 * Takes `amount` of `consumer`'s per-second share `limit` (requests, or
 * estimated cost) through `rates`; throws the 429 RATE_LIMITED refusal, with
 * Retry-After, when the share is spent.
 */
export async function takeShare(
  rates: ConsumerRateLimiter,
  limit: 'requestsPerSecond' | 'costPerSecond',
  consumer: string,
  amount: number,
  limits: CallerLimits,
  requestId: string,
): Promise<void> {
  const share = limits[limit];
  const wait = await rates.take(
    `${limit === 'requestsPerSecond' ? 'rps' : 'cps'}|${consumer}`,
    amount,
    share,
  );
  if (wait !== null)
    throw rateLimited({ limit, maximum: share, retryAfterSeconds: wait, requestId });
}
