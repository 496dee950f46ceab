import type { Knex } from 'knex';
import { selectLinks, selectPlatformIdentity, type LinkKeyRing } from '../../../server/index.ts';
import { harvestLinkedCatalogue, type HarvestOutcome } from './harvestLinkedCatalogue.ts';
import { replaceLinkedEntries } from './linkedEntryQueries.ts';

/** How often each linked platform's catalogue is harvested: "within seconds" of publication. */
export const HARVEST_INTERVAL_MS = 1000;

/**
 * Harvests every active link's catalogue every `intervalMs`, one round at a
 * time. A suspended link's entries leave the directory at once; a link whose
 * platform does not answer keeps its last harvest (it is marked by its
 * harvest time) and is logged.
 */
export class LinkHarvester {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  /** The last outcome or failure per linked platform. */
  readonly outcomes = new Map<string, HarvestOutcome | { platform: string; problem: string }>();

  constructor(
    private readonly db: Knex,
    private readonly keys: LinkKeyRing,
    private readonly log: (message: string) => void,
    private readonly intervalMs = HARVEST_INTERVAL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.round = this.round.then(() => this.harvest());
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** One round over every link. */
  async harvest(): Promise<void> {
    try {
      const own = await selectPlatformIdentity(this.db);
      if (!own) return;
      for (const link of await selectLinks(this.db)) {
        if (link.status !== 'ACTIVE') {
          await replaceLinkedEntries(this.db, link.code, []);
          continue;
        }
        try {
          const outcome = await harvestLinkedCatalogue(this.db, own, link, this.keys.signingKey);
          this.outcomes.set(link.code, outcome);
          if (outcome.refused.length > 0) {
            this.log(`harvest of ${link.code} refused ${outcome.refused.join('; ')}`);
          }
        } catch (error) {
          const problem = error instanceof Error ? error.message : String(error);
          this.outcomes.set(link.code, { platform: link.code, problem });
        }
      }
    } catch (error) {
      this.log(`link harvest failed: ${String(error)}`);
    }
  }
}
