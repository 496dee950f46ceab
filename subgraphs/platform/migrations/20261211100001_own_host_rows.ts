import type { Knex } from 'knex';
import { databaseEngine } from '../../../server/database/databaseEngine.ts';

/**
 * A department's host writes only the rows of its own datasets (MySQL).
 *
 * Its database user may update a quota's count, an export's progress and a
 * chain head's position, column by column (`HOST_RIGHTS`); MySQL's rights stop
 * at columns, not rows. So city_water's host could reset its own department's
 * count on public_security's grant, or mark its own export of public_security's
 * dataset as counted ahead, and read past the quota public_security set. These
 * triggers hold each write of a host user to its department's rows: the count
 * of a grant on a dataset it provides, an export it serves, its own audit
 * chains. `platform_host_departments` says which user is which department's
 * host (`prepare` fills it); a user not there (the platform's own roles) is
 * not held by them. Triggers run with their definer's rights, so the host
 * users need none on that table.
 */
const HOST_DEPARTMENT = `(SELECT department FROM platform_host_departments
  WHERE user_name = SUBSTRING_INDEX(USER(), '@', 1))`;

const REFUSE = (what: string) =>
  `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'a department host writes ${what} of its own datasets only'`;

/** Each trigger: its table, event and the condition under which a host's write is refused. */
const TRIGGERS: { table: string; event: 'INSERT' | 'UPDATE'; refused: string; what: string }[] = [
  ...(['INSERT', 'UPDATE'] as const).map((event) => ({
    table: 'grant_usage',
    event,
    what: 'quota counts',
    refused: `NOT EXISTS (SELECT 1 FROM grants g JOIN dataset_policies p ON p.code = g.dataset_code
      WHERE g.id = NEW.grant_id AND p.department = host_department)`,
  })),
  ...(['INSERT', 'UPDATE'] as const).map((event) => ({
    table: 'verification_usage',
    event,
    what: 'verification counts',
    refused: `NOT EXISTS (SELECT 1 FROM dataset_policies p
      WHERE p.code = NEW.dataset_code AND p.department = host_department)`,
  })),
  {
    table: 'exports',
    event: 'INSERT',
    what: 'exports',
    refused: `NEW.provider_department <> host_department OR NOT EXISTS (SELECT 1 FROM dataset_policies p
      WHERE p.code = NEW.dataset_code AND p.department = host_department)`,
  },
  {
    table: 'exports',
    event: 'UPDATE',
    what: 'exports',
    refused: `OLD.provider_department <> host_department`,
  },
  {
    table: 'audit_chains',
    event: 'INSERT',
    what: 'audit chains',
    refused: `NEW.role <> CONCAT(host_department, ' subgraph')`,
  },
  {
    table: 'audit_chains',
    event: 'UPDATE',
    what: 'audit chains',
    refused: `OLD.role <> CONCAT(host_department, ' subgraph')`,
  },
];

const triggerName = (t: { table: string; event: string }) =>
  `${t.table}_host_${t.event.toLowerCase()}`;

export async function up(knex: Knex): Promise<void> {
  if (databaseEngine(knex) !== 'mysql') return;
  await knex.schema.createTable('platform_host_departments', (t) => {
    t.string('user_name', 80).primary();
    t.string('department', 64).notNullable();
  });
  for (const trigger of TRIGGERS) {
    await knex.raw(
      `CREATE TRIGGER ${triggerName(trigger)} BEFORE ${trigger.event} ON ${trigger.table}
       FOR EACH ROW BEGIN
         DECLARE host_department VARCHAR(64);
         SET host_department = ${HOST_DEPARTMENT};
         IF host_department IS NOT NULL AND (${trigger.refused}) THEN
           ${REFUSE(trigger.what)};
         END IF;
       END`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  if (databaseEngine(knex) !== 'mysql') return;
  for (const trigger of TRIGGERS) await knex.raw(`DROP TRIGGER IF EXISTS ${triggerName(trigger)}`);
  await knex.schema.dropTableIfExists('platform_host_departments');
}
