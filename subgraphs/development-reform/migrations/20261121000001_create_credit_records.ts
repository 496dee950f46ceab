import type { Knex } from 'knex';

/**
 * Public credit records (commendations, penalties, dishonesty), keyed by
 * record ID; the subject is a person or an enterprise, each column indexed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('credit_records', (table) => {
    table.string('record_id', 24).primary();
    table.string('subject_id_number', 18).nullable().index();
    table.string('subject_credit_code', 18).nullable().index();
    table.string('category', 16).notNullable();
    table.string('description', 255).notNullable();
    table.string('authority', 64).notNullable();
    table.date('decided_on').notNullable();
    table.date('valid_until').notNullable();
    // Exactly one holder: a person or an enterprise, never both or neither.
    table.check('(?? is null) <> (?? is null)', ['subject_id_number', 'subject_credit_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('credit_records');
}
