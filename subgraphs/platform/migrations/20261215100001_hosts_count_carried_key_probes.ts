import type { Knex } from 'knex';
import { databaseEngine } from '../../../server/database/databaseEngine.ts';

/**
 * A department's host may add to the probe count (`*probes`) of another
 * department's dataset, never lower one (MySQL).
 *
 * A guessed key that carries another dataset's key (a driving licence numbered
 * with its holder's ID number) spends that dataset's probe budget too, so the
 * licence host counts a miss against the population register's budget. The
 * triggers of `20261211100001_own_host_rows` held every verification count of
 * a host to its own datasets, and refused that write. A count that only grows
 * only spends a budget: the most a host can do with it is use up a consumer's
 * guesses sooner. A host still cannot begin or move any other count of
 * another department's dataset, nor lower a probe count, which would give
 * guesses back.
 */
const HOST_DEPARTMENT = `(SELECT department FROM platform_host_departments
  WHERE user_name = SUBSTRING_INDEX(USER(), '@', 1))`;

const OWN_DATASET = `EXISTS (SELECT 1 FROM dataset_policies p
  WHERE p.code = NEW.dataset_code AND p.department = host_department)`;

const REFUSE = `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'a department host writes verification counts of its own datasets only'`;

const TRIGGERS = [
  {
    event: 'INSERT',
    allowed: `${OWN_DATASET} OR NEW.record_hash = '*probes'`,
  },
  {
    event: 'UPDATE',
    allowed: `${OWN_DATASET} OR (NEW.record_hash = '*probes' AND NEW.verifications >= OLD.verifications)`,
  },
] as const;

/** The two triggers, refusing a host's write where `refused` holds. */
async function createTriggers(knex: Knex, refused: (t: (typeof TRIGGERS)[number]) => string) {
  for (const trigger of TRIGGERS) {
    const name = `verification_usage_host_${trigger.event.toLowerCase()}`;
    await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
    await knex.raw(
      `CREATE TRIGGER ${name} BEFORE ${trigger.event} ON verification_usage
       FOR EACH ROW BEGIN
         DECLARE host_department VARCHAR(64);
         SET host_department = ${HOST_DEPARTMENT};
         IF host_department IS NOT NULL AND ${refused(trigger)} THEN
           ${REFUSE};
         END IF;
       END`,
    );
  }
}

export async function up(knex: Knex): Promise<void> {
  if (databaseEngine(knex) !== 'mysql') return;
  await createTriggers(knex, (t) => `NOT (${t.allowed})`);
}

export async function down(knex: Knex): Promise<void> {
  if (databaseEngine(knex) !== 'mysql') return;
  // As `20261211100001_own_host_rows` made them: its own datasets only.
  await createTriggers(knex, () => `NOT ${OWN_DATASET}`);
}
