import type { Knex } from 'knex';

/**
 * Water supply accounts, keyed by account number; the holder is a person or
 * an enterprise, each holder column indexed for reverse lookup.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('utility_accounts', (table) => {
    table.string('account_number', 16).primary();
    table.string('holder_id_number', 18).nullable().index();
    table.string('holder_credit_code', 18).nullable().index();
    table.string('address', 128).notNullable();
    table.date('opened_on').notNullable();
    table.double('monthly_usage_m3').notNullable();
    table.double('arrears').notNullable();
    table.string('status', 16).notNullable();
    // Exactly one holder: a person or an enterprise, never both or neither.
    table.check('(?? is null) <> (?? is null)', ['holder_id_number', 'holder_credit_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('utility_accounts');
}
