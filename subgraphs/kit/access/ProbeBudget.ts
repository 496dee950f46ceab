import type { Knex } from 'knex';
import { civilDateIn } from '../../../schema/index.ts';
import { addDailyUnits, readDailyUnits, PROBES_BUCKET } from '../../../server/index.ts';

/** How long a known count of misses is trusted before it is read again from the database. */
const FRESH_MS = 1000;

/**
 * The daily budget of key probes, per consumer department and dataset, shared
 * by every replica through the platform database. A probe is a lookup or
 * verification by a key the caller may not read that found no record: the
 * answer "no such record" is what lets hidden key digits be guessed (a birth
 * date inside an ID number), so only misses count. Lookups that find their
 * record cost nothing; the budget is checked against the count last read
 * (at most a second old), so a burst may pass it by the lookups of the
 * requests in flight — a handful against the thousands a guess needs.
 */
export class ProbeBudget {
  private readonly known = new Map<string, { day: string; misses: number; at: number }>();

  constructor(
    private readonly platformDb: Knex,
    readonly limitPerDay: number,
    readonly timeZone: string,
  ) {}

  /** Whether `department` may still probe `dataset` today. */
  async allows(department: string, dataset: string, now: Date): Promise<boolean> {
    const counter = this.counter(department, dataset, now);
    const id = `${department}\u0000${dataset}`;
    let known = this.known.get(id);
    if (!known || known.day !== counter.day || Date.now() - known.at > FRESH_MS) {
      known = {
        day: counter.day,
        misses: await readDailyUnits(this.platformDb, counter),
        at: Date.now(),
      };
      this.known.set(id, known);
    }
    return known.misses < this.limitPerDay;
  }

  /** Counts `count` misses of `department` on `dataset`. */
  async missed(department: string, dataset: string, count: number, now: Date): Promise<void> {
    const counter = this.counter(department, dataset, now);
    await addDailyUnits(this.platformDb, counter, count);
    const known = this.known.get(`${department}\u0000${dataset}`);
    if (known?.day === counter.day) known.misses += count;
  }

  private counter(department: string, dataset: string, now: Date) {
    return {
      consumerDepartment: department,
      datasetCode: dataset,
      bucket: PROBES_BUCKET,
      day: civilDateIn(now, this.timeZone),
    };
  }
}
