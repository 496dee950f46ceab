import type { Knex } from 'knex';

/**
 * Which grant or dataset sharing decision each change touched, by sequence
 * number (`policy_change_counter`): replicas read the changes after the last
 * one they applied and reload just those rows, so a reload costs what changed,
 * not the number of grants. A key whose row is gone was deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('policy_changes', (t) => {
    t.bigInteger('seq').primary();
    t.string('subject', 16).notNullable();
    t.string('subject_key', 64).notNullable();
    t.string('changed_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('policy_changes');
}
