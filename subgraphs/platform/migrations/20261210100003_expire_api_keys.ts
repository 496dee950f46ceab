import type { Knex } from 'knex';

/** Days a key issued before keys expired stays valid after the upgrade: time to issue its successor. */
const GRACE_DAYS = 90;

/**
 * Every API key expires (`expires_at`; see `issueApiKey`). Keys issued before
 * had no end: they expire 90 days after this migration runs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.string('expires_at', 32).nullable();
  });
  await knex('api_keys')
    .whereNull('expires_at')
    .update({ expires_at: new Date(Date.now() + GRACE_DAYS * 86_400_000).toISOString() });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('expires_at');
  });
}
