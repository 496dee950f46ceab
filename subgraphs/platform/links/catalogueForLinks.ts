import type { Catalogue } from '../../../schema/index.ts';
import { catalogueToDcat, type JsonLdNode } from '../dcat/index.ts';
import type { PlatformIdentity } from '../../../server/index.ts';

/** One published entry as a linked platform harvests it. */
export interface PublishedEntry {
  code: string;
  department: string;
  departmentRegion: string;
  title: string;
  sharingType: string;
  entry: unknown;
  dcat: JsonLdNode;
}

/** What `/link/catalogue` answers: who publishes, and every entry in force. */
export interface LinkCatalogue {
  platform: PlatformIdentity;
  entries: PublishedEntry[];
}

/**
 * The catalogue in force as linked platforms harvest it: each entry whole
 * (the unified format both levels read) with its `dcat:Dataset` node from the
 * platform's DCAT-AP document, and its department's region code, by which the
 * harvester checks that a municipal platform claims no provincial department.
 */
export function catalogueForLinks(
  catalogue: Catalogue,
  platform: PlatformIdentity,
  baseUri: string,
): LinkCatalogue {
  const dcat = catalogueToDcat(catalogue, { baseUri, title: platform.name });
  const datasets = new Map(
    dcat['@graph']
      .filter((node) => node['@type'] === 'dcat:Dataset')
      .map((node) => [node['@id'] as string, node]),
  );
  const base = baseUri.replace(/\/+$/, '');
  return {
    platform,
    entries: catalogue.entries.map((entry) => {
      // The file name is this platform's business, not the catalogue's.
      const published: Partial<typeof entry> = { ...entry };
      delete published.file;
      return {
        code: entry.code,
        department: entry.department,
        departmentRegion: catalogue.department(entry.department)?.region ?? '',
        title: entry.name,
        sharingType: entry.sharing.type,
        entry: published,
        dcat: datasets.get(`${base}/datasets/${encodeURIComponent(entry.code)}`) ?? {},
      };
    }),
  };
}
