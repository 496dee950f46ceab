import type { Knex } from 'knex';

/** Who revoked an API key (department/user of the admin, or the command line). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.string('revoked_by', 200).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('revoked_by');
  });
}
