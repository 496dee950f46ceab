import type { Knex } from 'knex';

/**
 * Residents, keyed by resident ID number (GB 11643). Every other department
 * refers to a person by this number.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('persons', (table) => {
    table.string('id_number', 18).primary();
    table.string('name', 32).notNullable();
    table.string('gender', 1).notNullable();
    table.date('birth_date').notNullable();
    table.string('ethnicity', 16).notNullable();
    table.string('region_code', 6).notNullable();
    table.string('address', 128).notNullable();
    table.string('phone', 11).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('persons');
}
