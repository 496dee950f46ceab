import type { Knex } from 'knex';

/**
 * An ACCESS record names every grant its dataset was read under, comma-separated
 * in grant_id: room for ten grant ids of the longest kind. SQLite does not
 * enforce VARCHAR lengths, so only MySQL needs the column changed.
 */
export async function up(knex: Knex): Promise<void> {
  if (!isMysql(knex)) return;
  await knex.schema.alterTable('audit_records', (t) => {
    t.string('grant_id', 410).nullable().alter();
  });
}

export async function down(knex: Knex): Promise<void> {
  if (!isMysql(knex)) return;
  await knex.schema.alterTable('audit_records', (t) => {
    t.string('grant_id', 40).nullable().alter();
  });
}

function isMysql(knex: Knex): boolean {
  const { config } = knex.client as { config: { client?: unknown } };
  return String(config.client).startsWith('mysql');
}
