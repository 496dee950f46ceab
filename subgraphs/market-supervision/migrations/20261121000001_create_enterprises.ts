import type { Knex } from 'knex';

/**
 * Registered market entities, keyed by unified social credit code (GB 32100);
 * the legal representative is a resident ID number, indexed for reverse lookup.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('enterprises', (table) => {
    table.string('credit_code', 18).primary();
    table.string('name', 128).notNullable();
    table.string('kind', 32).notNullable();
    table.string('legal_rep_id_number', 18).notNullable().index();
    table.double('registered_capital').notNullable();
    table.date('established_on').notNullable();
    table.string('region_code', 6).notNullable();
    table.string('address', 128).notNullable();
    table.string('status', 16).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('enterprises');
}
