import type { Knex } from 'knex';

/** Who issued an API key (department/user of the admin, or the command line); null before this. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.string('issued_by', 200).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('issued_by');
  });
}
