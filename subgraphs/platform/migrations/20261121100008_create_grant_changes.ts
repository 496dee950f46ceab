import type { Knex } from 'knex';

/** Who changed which grant, when, why, and what it was before and after. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('grant_changes', (t) => {
    t.increments('id').primary();
    t.string('grant_id', 40).notNullable().index();
    t.string('action', 16).notNullable();
    t.string('actor', 128).notNullable();
    t.string('at', 32).notNullable();
    t.text('reason').notNullable();
    t.text('before').nullable();
    t.text('after').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('grant_changes');
}
