import type { Knex } from 'knex';

/**
 * The sequence number of the last change to a grant or a dataset's sharing
 * decision: one row, raised in the same transaction as every such change (see
 * `recordPolicyChanges`). Its row lock serialises those changes, so sequence
 * numbers become visible in the order they were given, on either engine and
 * whatever the replicas' clocks say; replicas read it once a reload interval.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('policy_change_counter', (t) => {
    t.integer('id').primary();
    t.bigInteger('seq').notNullable();
  });
  await knex('policy_change_counter').insert({ id: 1, seq: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('policy_change_counter');
}
