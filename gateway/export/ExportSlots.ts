import { exportsInFlight } from '../../schema/index.ts';

/** Exports one consumer may stream from one gateway process at once. */
export const EXPORTS_PER_CONSUMER = 2;
/** Exports one gateway process streams at once, all consumers together. */
export const EXPORTS_PER_PROCESS = 4;
/** What a refused caller is told to wait: exports take a while. */
const RETRY_AFTER_SECONDS = 30;

/**
 * Exports streaming from one gateway process: at most `perConsumer` per
 * consumer and `total` in all. An export is read, encoded and sent for as long
 * as its records last, so twenty at once from one consumer slowed every other
 * department's lookups a hundredfold; over a bound an export is refused at
 * once (429, `Retry-After`) rather than queued for minutes. Replicas each
 * count their own, as for admission of GraphQL requests.
 */
export class ExportSlots {
  private readonly byConsumer = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly bounds: { perConsumer: number; total: number } = {
      perConsumer: EXPORTS_PER_CONSUMER,
      total: EXPORTS_PER_PROCESS,
    },
  ) {}

  /** Takes a slot for `consumer`; returns its release (idempotent), or throws the refusal. */
  take(consumer: string, requestId: string): () => void {
    const held = this.byConsumer.get(consumer) ?? 0;
    if (held >= this.bounds.perConsumer) {
      throw exportsInFlight(
        'exportsInFlight',
        this.bounds.perConsumer,
        RETRY_AFTER_SECONDS,
        requestId,
      );
    }
    if (this.total >= this.bounds.total) {
      throw exportsInFlight(
        'gatewayExportsInFlight',
        this.bounds.total,
        RETRY_AFTER_SECONDS,
        requestId,
      );
    }
    this.byConsumer.set(consumer, held + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.byConsumer.get(consumer) ?? 1) - 1;
      if (left > 0) this.byConsumer.set(consumer, left);
      else this.byConsumer.delete(consumer);
    };
  }
}
