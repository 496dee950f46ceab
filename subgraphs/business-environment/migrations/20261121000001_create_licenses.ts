import type { Knex } from 'knex';

/**
 * Electronic licences, keyed by licence number; the holder is a person or an
 * enterprise, each holder column indexed for reverse lookup.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('licenses', (table) => {
    table.string('license_number', 32).primary();
    table.string('kind', 64).notNullable();
    table.string('holder_id_number', 18).nullable().index();
    table.string('holder_credit_code', 18).nullable().index();
    table.string('issuer', 64).notNullable();
    table.date('issued_on').notNullable();
    table.date('valid_until').notNullable();
    table.string('status', 16).notNullable();
    // Exactly one holder: a person or an enterprise, never both or neither.
    table.check('(?? is null) <> (?? is null)', ['holder_id_number', 'holder_credit_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('licenses');
}
