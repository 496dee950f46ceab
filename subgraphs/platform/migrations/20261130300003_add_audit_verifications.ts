import type { Knex } from 'knex';

/** How many verifications an ACCESS record's operation answered (0 in older records). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.integer('verifications').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.dropColumn('verifications');
  });
}
