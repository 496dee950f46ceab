import type { Knex } from 'knex';

/** The thresholds an admin sets for compliance verdicts, one row per measure. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('compliance_thresholds', (t) => {
    t.string('measure', 64).primary();
    t.double('threshold').notNullable();
    t.string('set_by', 200).notNullable();
    t.string('set_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('compliance_thresholds');
}
