import type { Knex } from 'knex';

/**
 * When each resident's record last changed (ISO 8601, UTC, as text so both
 * engines compare it alike): what an incremental export selects by. Existing
 * rows read as changed on the demo's reference date.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('persons', (table) => {
    table.string('changed_at', 24).notNullable().defaultTo('2026-11-21T00:00:00.000Z');
    table.index(['changed_at'], 'persons_changed_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('persons', (table) => {
    table.dropIndex(['changed_at'], 'persons_changed_at');
    table.dropColumn('changed_at');
  });
}
