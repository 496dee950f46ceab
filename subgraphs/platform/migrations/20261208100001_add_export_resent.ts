import type { Knex } from 'knex';

/**
 * How far an export's records have had their one free re-sending (see
 * `takeResending`): a resumption sends again, uncounted, the records a broken
 * delivery sent past what the consumer holds, once; later re-sendings count.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exports', (t) => {
    t.integer('resent').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exports', (t) => {
    t.dropColumn('resent');
  });
}
