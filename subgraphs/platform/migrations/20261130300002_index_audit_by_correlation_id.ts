import type { Knex } from 'knex';

/** Audit queries find a client's requests by the correlation id it sent. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.index(['correlation_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.dropIndex(['correlation_id']);
  });
}
