import type { Knex } from 'knex';

/**
 * Spot inspections of enterprises, keyed by inspection ID; `credit_code` is
 * indexed so an enterprise's inspections load in one lookup.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inspections', (table) => {
    table.string('inspection_id', 24).primary();
    table.string('credit_code', 18).notNullable().index();
    table.date('inspected_on').notNullable();
    table.string('inspector_unit', 64).notNullable();
    table.string('result', 16).notNullable();
    table.string('notes', 255).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('inspections');
}
