import type { Knex } from 'knex';

/**
 * The client's own id of a request (its X-Request-Id), kept beside the
 * platform's request id instead of replacing it. Null in older records.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.string('correlation_id', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.dropColumn('correlation_id');
  });
}
