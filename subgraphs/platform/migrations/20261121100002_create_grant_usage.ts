import type { Knex } from 'knex';

/** Calls made under each grant per day, shared by every replica, for daily quotas. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('grant_usage', (t) => {
    t.string('grant_id', 40).notNullable();
    t.string('day', 10).notNullable();
    t.integer('calls').notNullable();
    t.primary(['grant_id', 'day']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('grant_usage');
}
