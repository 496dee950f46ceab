import type { Knex } from 'knex';

/**
 * The exceptions to the ordinary Monday–Friday week that every working-day
 * deadline counts with: public holidays and make-up working days (调休上班日),
 * one row per date. Kept in the database rather than in code because the State
 * Council publishes each year's arrangement late in the year before, and ADMIN
 * must be able to enter or correct it without a release.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('holidays', (t) => {
    t.string('date', 10).primary();
    t.string('kind', 16).notNullable();
    t.string('name', 64).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('updated_by', 128).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('holidays');
}
