import type { Knex } from 'knex';
import { assembleCatalogue, type Catalogue } from '../../schema/index.ts';
import { loadConfig } from '../../server/index.ts';
import { selectPublishedEntries } from '../../subgraphs/platform/catalogue/index.ts';
import { loadPlatformCatalogue } from '../platform/loadPlatformCatalogue.ts';

/** The published catalogue, as the platform serves it. */
export async function publishedCatalogue(db: Knex): Promise<Catalogue> {
  const files = loadPlatformCatalogue({}, loadConfig());
  return assembleCatalogue(
    files.departments,
    (await selectPublishedEntries(db)).map((e) => ({
      source: `${e.code}@v${e.version}`,
      data: e.document,
    })),
  );
}
