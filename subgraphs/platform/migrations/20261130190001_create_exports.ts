import type { Knex } from 'knex';

/**
 * Bulk exports: who started which, under what (items, masks, filters, grants,
 * the change watermark an incremental export starts from), and the manifest
 * once its last record was sent. Never a record value: the manifest holds
 * counts, names and a checksum.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('exports', (t) => {
    t.string('id', 64).primary();
    t.string('consumer_department', 64).notNullable();
    t.string('consumer_application', 128).nullable();
    t.string('dataset_code', 64).notNullable();
    t.string('provider_department', 64).notNullable();
    t.text('plan').notNullable();
    t.string('started_at', 32).notNullable();
    t.string('completed_at', 32).nullable();
    t.integer('charged').notNullable().defaultTo(0);
    t.text('manifest').nullable();
    t.index(['consumer_department', 'dataset_code']);
    t.index(['provider_department']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('exports');
}
