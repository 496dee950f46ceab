import type { Knex } from 'knex';

/** Application API keys; only a SHA-256 hash of the secret part is stored. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_keys', (t) => {
    t.string('id', 24).primary();
    t.string('secret_hash', 64).notNullable();
    t.string('department', 64).notNullable();
    t.string('application', 64).nullable();
    t.string('user_id', 128).nullable();
    t.text('roles').notNullable();
    t.string('label', 128).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('revoked_at', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_keys');
}
