import type { Knex } from 'knex';

/**
 * The audit trail: one REQUEST record per gateway request and one ACCESS record
 * per dataset a subgraph operation touched. Each writer's records form a hash
 * chain (seq, prev_hash, hash). No row values are ever stored here.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_records', (t) => {
    t.bigIncrements('id').primary();
    t.string('writer', 40).notNullable();
    t.integer('seq').notNullable();
    t.string('at', 32).notNullable();
    t.string('kind', 8).notNullable();
    t.string('request_id', 64).notNullable();
    t.string('subgraph', 64).nullable();
    t.string('consumer_department', 64).nullable();
    t.string('consumer_application', 64).nullable();
    t.string('user_id', 128).nullable();
    t.string('purpose', 100).nullable();
    t.string('grant_id', 40).nullable();
    t.string('dataset_code', 64).nullable();
    t.string('provider_department', 64).nullable();
    t.text('items_returned').notNullable();
    t.text('items_masked').notNullable();
    t.text('items_denied').notNullable();
    t.integer('record_count').notNullable();
    t.string('decision', 16).notNullable();
    t.string('reason', 32).nullable();
    t.string('operation_name', 128).nullable();
    t.string('operation_hash', 64).nullable();
    t.integer('latency_ms').notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.unique(['writer', 'seq']);
    t.index(['at']);
    t.index(['request_id']);
    t.index(['dataset_code', 'at']);
    t.index(['consumer_department', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_records');
}
