import type { Knex } from 'knex';

/**
 * Units (requests, estimated cost) each consumer used in each one-second window,
 * shared by every gateway replica. Replicas reserve chunks of a window's share
 * here and hand them out locally, so a request rarely waits for this table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_counters', (t) => {
    t.string('consumer_key', 200).notNullable();
    t.bigInteger('window_start').notNullable();
    t.bigInteger('used').notNullable();
    t.primary(['consumer_key', 'window_start']);
    t.index(['window_start']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_counters');
}
