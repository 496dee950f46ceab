import type { Knex } from 'knex';

/**
 * Registry entries and stored compositions carry the signature of whoever
 * vouches for them (see `registrySignatures`): gateways compose only entries
 * signed with their subgraph's key, and reuse only compositions signed with a
 * key they trust for that. Rows from before have none, and are published
 * again, signed, by their subgraph's next start.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('subgraph_versions', (t) => {
    t.string('signature', 128).nullable();
  });
  await knex.schema.alterTable('supergraph_compositions', (t) => {
    t.string('signature', 128).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('subgraph_versions', (t) => {
    t.dropColumn('signature');
  });
  await knex.schema.alterTable('supergraph_compositions', (t) => {
    t.dropColumn('signature');
  });
}
