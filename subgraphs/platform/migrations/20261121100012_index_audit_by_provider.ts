import type { Knex } from 'knex';

/** Providers read the accesses to their datasets, and scorecards count them by period. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.index(['provider_department', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_records', (t) => {
    t.dropIndex(['provider_department', 'at']);
  });
}
