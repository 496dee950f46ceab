import type { Knex } from 'knex';

/**
 * Quality inspections (数据质量检查): one row per dataset and run, with the
 * counts behind each rate and the failures per item and rule (counts and a
 * sample of record keys, never values).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('quality_runs', (t) => {
    t.string('id', 40).primary();
    t.string('dataset_code', 64).notNullable();
    t.string('department', 64).notNullable();
    t.string('triggered_by', 200).notNullable();
    t.string('started_at', 32).notNullable();
    t.string('finished_at', 32).notNullable();
    t.bigInteger('records').notNullable();
    for (const measure of ['completeness', 'validity', 'consistency', 'timeliness']) {
      t.bigInteger(`${measure}_passed`).notNullable();
      t.bigInteger(`${measure}_checked`).notNullable();
    }
    t.string('newest_update', 10).nullable();
    t.text('failures').notNullable();
    t.integer('reports_opened').notNullable();
    t.index(['dataset_code', 'finished_at']);
    t.index(['department', 'finished_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('quality_runs');
}
