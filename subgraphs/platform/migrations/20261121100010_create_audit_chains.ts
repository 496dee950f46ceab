import type { Knex } from 'knex';

/**
 * The head of each writer's hash chain, moved in the same transaction as the
 * records: truncating a chain's tail then shows as a head with no record.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_chains', (t) => {
    t.string('writer', 40).primary();
    t.string('role', 64).notNullable();
    t.integer('last_seq').notNullable();
    t.string('last_hash', 64).notNullable();
    t.string('started_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_chains');
}
