import type { Knex } from 'knex';
import type { Catalogue } from '../../schema/index.ts';
import { loadConfig } from '../../server/index.ts';
import {
  publishedCatalogueOf,
  selectPublishedEntries,
} from '../../subgraphs/platform/catalogue/index.ts';
import { loadPlatformCatalogue } from '../platform/loadPlatformCatalogue.ts';

/** The published catalogue, as the platform serves it. */
export async function publishedCatalogue(db: Knex): Promise<Catalogue> {
  const files = loadPlatformCatalogue({}, loadConfig());
  return publishedCatalogueOf(files.departments, await selectPublishedEntries(db));
}
