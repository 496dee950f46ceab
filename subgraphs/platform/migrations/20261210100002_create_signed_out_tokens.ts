import type { Knex } from 'knex';

/**
 * Bearer tokens signed out of the console before they expired (by the SHA-256
 * of the token, never the token): every gateway refuses them from then on. A
 * row is kept until its token has expired.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signed_out_tokens', (t) => {
    t.string('token_sha256', 64).primary();
    t.string('expires_at', 32).notNullable();
    t.string('signed_out_at', 32).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signed_out_tokens');
}
