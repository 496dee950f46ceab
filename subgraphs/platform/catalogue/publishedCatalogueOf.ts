import {
  assembleCatalogue,
  type Catalogue,
  type CatalogueDepartment,
} from '../../../schema/index.ts';
import type { EntryVersion } from './EntryVersion.ts';

/**
 * The catalogue of `departments` (from their folders) with the published
 * `entries` (`selectPublishedEntries`), each named by its code and version in
 * problems; throws a `CatalogueError` when they do not validate together.
 */
export function publishedCatalogueOf(
  departments: readonly Omit<CatalogueDepartment, 'entries'>[],
  entries: readonly EntryVersion[],
): Catalogue {
  return assembleCatalogue(
    departments,
    entries.map((e) => ({ source: `${e.code}@v${e.version}`, data: e.document })),
  );
}
