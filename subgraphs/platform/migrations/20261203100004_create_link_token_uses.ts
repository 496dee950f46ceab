import type { Knex } from 'knex';

/**
 * Ids of cross-platform tokens already accepted, until they expire (issue 16):
 * a token is used once, on whichever gateway replica receives it first.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('link_token_uses', (t) => {
    t.string('jti', 64).primary();
    t.string('platform', 64).notNullable();
    t.bigInteger('expires_at').notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('link_token_uses');
}
