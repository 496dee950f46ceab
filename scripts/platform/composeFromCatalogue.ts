import { join } from 'node:path';
import { composeSupergraph } from '../../gateway/index.ts';
import type { Catalogue } from '../../schema/index.ts';
import type { PlatformConfig } from '../../server/index.ts';
import { departmentTypeDefs } from '../../subgraphs/kit/index.ts';
import { PLATFORM_SUBGRAPH, PLATFORM_TYPE_DEFS } from '../../subgraphs/platform/index.ts';

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
  const url = (index: number) => `http://${config.host}:${config.subgraphPortBase + index}/graphql`;
  return composeSupergraph([
    ...catalogue.departments.map((d, i) => ({
      name: d.code,
      url: url(i),
      typeDefs: departmentTypeDefs(catalogue, d.code, { maxPageSize: config.maxPageSize }),
    })),
    {
      name: PLATFORM_SUBGRAPH,
      url: url(catalogue.departments.length),
      typeDefs: PLATFORM_TYPE_DEFS,
    },
  ]);
}
