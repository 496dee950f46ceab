import type { Knex } from 'knex';

/**
 * The sharing decision in force for each dataset, read by every subgraph's rules.
 * Filled from the catalogue on first start; changed by publishing an entry or by
 * an admin, and picked up by running subgraphs within seconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dataset_policies', (t) => {
    t.string('code', 64).primary();
    t.string('department', 64).notNullable();
    t.string('sharing_type', 16).notNullable();
    t.text('modes').notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('updated_by', 128).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('dataset_policies');
}
