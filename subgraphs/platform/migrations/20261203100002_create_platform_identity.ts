import type { Knex } from 'knex';

/**
 * What this platform is, as its administrator described it (issue 16): its
 * code, name, level and region code, which linked platforms register it
 * under. One row at most.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('platform_identity', (t) => {
    t.integer('id').primary();
    t.string('code', 64).notNullable();
    t.string('name', 200).notNullable();
    t.string('level', 16).notNullable();
    t.string('region_code', 6).notNullable();
    t.string('changed_by', 200).notNullable();
    t.string('changed_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('platform_identity');
}
