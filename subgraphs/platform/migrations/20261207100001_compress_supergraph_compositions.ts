import type { Knex } from 'knex';
import { databaseEngine } from '../../../server/database/databaseEngine.ts';

/**
 * Stored supergraphs are kept gzip-compressed (see `composeShared`): a
 * province's supergraph is tens of megabytes of SDL, more than MariaDB's
 * default `max_allowed_packet` (16 MiB) lets one statement carry, so storing it
 * failed and every process composed it again. Compressed it is a tenth of that
 * or less. The table holds only what can be composed again, so it is recreated
 * empty rather than converted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.dropTable('supergraph_compositions');
  await knex.schema.createTable('supergraph_compositions', (t) => {
    t.string('inputs_hash', 64).primary();
    // MySQL's BLOB stops at 64 KiB; SQLite's has no such limit.
    t.specificType(
      'supergraph_gzip',
      databaseEngine(knex) === 'mysql' ? 'longblob' : 'blob',
    ).notNullable();
    t.string('composed_at', 32).notNullable();
    t.index(['composed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('supergraph_compositions');
  await knex.schema.createTable('supergraph_compositions', (t) => {
    t.string('inputs_hash', 64).primary();
    t.text('supergraph_sdl', 'longtext').notNullable();
    t.string('composed_at', 32).notNullable();
    t.index(['composed_at']);
  });
}
