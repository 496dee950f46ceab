import type { Knex } from 'knex';

/**
 * Every version of every catalogue entry: drafts, submissions, published,
 * rejected, superseded and retired versions, with who did what and when, the
 * change's reason, its trigger date and its registration deadline.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('catalogue_entries', (t) => {
    t.string('code', 64).notNullable();
    t.integer('version').notNullable();
    t.string('department', 64).notNullable();
    t.string('status', 16).notNullable();
    t.text('document').notNullable();
    t.text('warnings').notNullable();
    t.text('change_reason').notNullable();
    t.string('trigger_date', 10).notNullable();
    t.string('deadline', 10).notNullable();
    t.string('created_by', 128).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('submitted_by', 128).nullable();
    t.string('submitted_at', 32).nullable();
    t.string('reviewed_by', 128).nullable();
    t.string('reviewed_at', 32).nullable();
    t.text('review_reason').nullable();
    t.string('updated_at', 32).notNullable();
    t.primary(['code', 'version']);
    t.index(['status', 'department']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('catalogue_entries');
}
