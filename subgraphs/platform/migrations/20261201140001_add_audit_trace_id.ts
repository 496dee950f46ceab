import type { Knex } from 'knex';

/**
 * The request's OpenTelemetry trace id (32 hex digits), so a REQUEST record
 * leads to the request's trace. Null in older records and where none was known.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.string('trace_id', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.dropColumn('trace_id');
  });
}
