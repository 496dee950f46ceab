import { join } from 'node:path';
import { composeSupergraph } from '../../gateway/index.ts';
import type { Catalogue } from '../../schema/index.ts';
import type { PlatformConfig } from '../../server/index.ts';
import { buildDepartmentSubgraph } from '../../subgraphs/kit/index.ts';

/** The composed supergraph for the default configuration, kept current by a test. */
export const SUPERGRAPH_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  'schema',
  'supergraph.graphql',
);

/**
 * The supergraph of the catalogue with each subgraph at its configured port:
 * what `schema/supergraph.graphql` holds for the default configuration.
 */
export function composeFromCatalogue(config: PlatformConfig, catalogue: Catalogue): string {
  return composeSupergraph(
    catalogue.departments.map((d, i) => ({
      name: d.code,
      url: `http://${config.host}:${config.subgraphPortBase + i}/graphql`,
      typeDefs: buildDepartmentSubgraph(catalogue, d.code, { maxPageSize: config.maxPageSize })
        .typeDefs,
    })),
  );
}
