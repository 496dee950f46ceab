import type { Knex } from 'knex';

/**
 * The subgraph registry: every version of every subgraph the gateways compose
 * — its URL and SDL, who published it and when. The newest version of each
 * name is in force.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('subgraph_versions', (t) => {
    t.string('name', 64).notNullable();
    t.integer('version').notNullable();
    t.string('url', 256).notNullable();
    t.text('sdl', 'mediumtext').notNullable();
    t.string('sdl_hash', 64).notNullable();
    t.string('published_by', 128).notNullable();
    t.string('published_at', 32).notNullable();
    t.text('note').notNullable();
    t.primary(['name', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('subgraph_versions');
}
