import type { Knex } from 'knex';

/**
 * Catalogue entries harvested from linked platforms (issue 16): the entry as
 * the owner published it, by owner platform and dataset code. Each harvest
 * replaces a platform's rows, so a retired entry leaves with the next one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('linked_entries', (t) => {
    t.string('platform', 64).notNullable();
    t.string('code', 64).notNullable();
    t.string('department', 64).notNullable();
    t.string('department_region', 6).notNullable();
    t.string('title', 300).notNullable();
    t.string('sharing_type', 16).notNullable();
    t.text('entry').notNullable();
    t.text('dcat').notNullable();
    t.string('harvested_at', 32).notNullable();
    t.primary(['platform', 'code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('linked_entries');
}
