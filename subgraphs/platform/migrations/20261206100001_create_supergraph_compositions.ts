import type { Knex } from 'knex';

/**
 * Supergraphs already composed, by what they were composed from (see
 * `composeShared`): a set of subgraph versions is composed once for the whole
 * platform — the publication check, every gateway replica and worker — instead
 * of once by each.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('supergraph_compositions', (t) => {
    t.string('inputs_hash', 64).primary();
    t.text('supergraph_sdl', 'longtext').notNullable();
    t.string('composed_at', 32).notNullable();
    t.index(['composed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('supergraph_compositions');
}
