import type { Knex } from 'knex';

/**
 * Data error reports (数据纠错): a consuming department reports a suspected
 * error in one item of one record; the providing department answers by a
 * deadline in working days. The record is named by its key value as text.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('error_reports', (t) => {
    t.string('id', 40).primary();
    t.string('dataset_code', 64).notNullable();
    t.string('provider_department', 64).notNullable();
    t.string('reporter_department', 64).notNullable();
    t.string('reporter', 128).notNullable();
    t.string('record_key', 200).notNullable();
    t.string('item', 100).notNullable();
    t.text('description').notNullable();
    t.string('status', 16).notNullable();
    t.string('deadline', 10).notNullable();
    t.string('reported_at', 32).notNullable();
    t.string('answered_by', 128).nullable();
    t.string('answered_at', 32).nullable();
    t.text('answer_reason').nullable();
    t.string('updated_at', 32).notNullable();
    t.index(['provider_department', 'status']);
    t.index(['reporter_department', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('error_reports');
}
