import type { Knex } from 'knex';
import { deleteRateWindowsBefore, reserveRateUnits, type Logger } from '../../server/index.ts';
import type { ReserveUnits } from './ConsumerRateLimiter.ts';

/** How often a gateway forgets windows older than {@link KEPT_SECONDS}. */
const SWEEP_MS = 60_000;
const KEPT_SECONDS = 120;

/**
 * The per-consumer counts every replica shares, in the platform database
 * (`rate_counters`), with old windows swept once a minute by each gateway
 * (deleting the same rows twice is harmless).
 */
export function sharedRateCount(
  platformDb: Knex,
  logger: Logger,
): { reserve: ReserveUnits; stop(): void } {
  const sweep = setInterval(() => {
    const before = Math.floor(Date.now() / 1000) - KEPT_SECONDS;
    deleteRateWindowsBefore(platformDb, before).catch((error: unknown) =>
      logger.warn(
        { err: error },
        'old rate windows could not be swept; the next sweep tries again',
      ),
    );
  }, SWEEP_MS);
  sweep.unref();
  return {
    reserve: (key, windowStart, wanted, limit) =>
      reserveRateUnits(platformDb, key, windowStart, wanted, limit),
    stop: () => clearInterval(sweep),
  };
}
