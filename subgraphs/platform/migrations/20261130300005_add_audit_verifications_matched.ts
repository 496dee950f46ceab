import type { Knex } from 'knex';

/** How many of an ACCESS record's verifications answered yes (0 in older records). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.integer('verifications_matched').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.dropColumn('verifications_matched');
  });
}
