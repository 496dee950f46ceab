import type { Knex } from 'knex';

/**
 * Verifications made of each record per consumer department, dataset and civil
 * day, shared by every replica: a record may be verified only a few times a
 * day, so values cannot be enumerated one guess at a time. The record is kept
 * as a hash of its key, never the key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('verification_usage', (t) => {
    t.string('consumer_department', 64).notNullable();
    t.string('dataset_code', 64).notNullable();
    t.string('record_hash', 64).notNullable();
    t.string('day', 10).notNullable();
    t.integer('verifications').notNullable();
    t.primary(['consumer_department', 'dataset_code', 'record_hash', 'day']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('verification_usage');
}
