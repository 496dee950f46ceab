import type { Knex } from 'knex';

/**
 * Water meters, keyed by meter number, one per account. Not in the catalogue:
 * the README's department IT walk-through registers it (`govdata dataset init`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('water_meters', (table) => {
    table.string('meter_no', 18).primary();
    table.string('account_number', 16).notNullable().index();
    table.date('installed_on').notNullable();
    table.double('last_reading_m3').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('water_meters');
}
