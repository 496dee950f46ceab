import type { Knex } from 'knex';

/** A grant's own limit on verifications per record per day (null: the platform default). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('grants', (t) => {
    t.integer('verify_limit_per_record').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('grants', (t) => {
    t.dropColumn('verify_limit_per_record');
  });
}
