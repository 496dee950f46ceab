import type { Knex } from 'knex';

/** Sharing grants: who may read which dataset, under which conditions. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('grants', (t) => {
    t.string('id', 40).primary();
    t.string('consumer_department', 64).notNullable();
    t.string('consumer_application', 64).nullable();
    t.string('dataset_code', 64).notNullable();
    t.text('items').notNullable();
    t.text('masks').notNullable();
    t.text('row_filter').nullable();
    t.text('purposes').notNullable();
    t.text('modes').notNullable();
    t.string('valid_from', 32).notNullable();
    t.string('valid_until', 32).notNullable();
    t.integer('daily_quota').nullable();
    t.string('status', 16).notNullable();
    t.string('revoked_at', 32).nullable();
    t.string('revoked_by', 128).nullable();
    t.text('revoked_reason').nullable();
    t.integer('version').notNullable();
    t.string('created_at', 32).notNullable();
    t.string('created_by', 128).notNullable();
    t.string('updated_at', 32).notNullable();
    t.index(['consumer_department', 'dataset_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('grants');
}
