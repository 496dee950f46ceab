import type { Knex } from 'knex';

/** The items those verifications compared, as a JSON list (null in older records). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.text('verified_items').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.dropColumn('verified_items');
  });
}
