import type { Knex } from 'knex';

/**
 * Other platforms this one trusts (issue 16): one row per linked platform, as
 * this platform's administrator registered it — the peer's name, level, region
 * code, gateway URL and the public keys its requests are signed with. A link
 * is ACTIVE or SUSPENDED; suspension keeps the row and takes effect on the next
 * request, since every request reads the row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('platform_links', (t) => {
    t.string('code', 64).primary();
    t.string('name', 200).notNullable();
    t.string('level', 16).notNullable();
    t.string('region_code', 6).notNullable();
    t.string('gateway_url', 500).notNullable();
    t.text('public_keys').notNullable();
    t.string('status', 16).notNullable();
    t.string('registered_by', 200).notNullable();
    t.string('registered_at', 32).notNullable();
    t.string('changed_by', 200).notNullable();
    t.string('changed_at', 32).notNullable();
    t.text('change_reason').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('platform_links');
}
