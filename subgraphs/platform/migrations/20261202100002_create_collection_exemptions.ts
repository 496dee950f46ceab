import type { Knex } from 'knex';

/**
 * Temporary collection (临时采集): a reviewer exempts a department's table, or
 * one column of it, from the uncatalogued-collection list until a day.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('collection_exemptions', (t) => {
    t.string('id', 40).primary();
    t.string('department', 64).notNullable();
    t.string('table_name', 64).notNullable();
    /** Empty: the whole table. */
    t.string('column_name', 64).notNullable();
    t.text('reason').notNullable();
    t.string('expires_on', 10).notNullable();
    t.string('granted_by', 200).notNullable();
    t.string('granted_at', 32).notNullable();
    t.index(['department', 'expires_on']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('collection_exemptions');
}
