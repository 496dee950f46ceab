export { CatalogueStore } from './CatalogueStore.ts';
export {
  insertEntryVersion,
  selectCatalogueRevision,
  selectEntriesByStatus,
  selectEntryVersion,
  selectEntryVersions,
  selectPublishedEntries,
  transitionEntry,
} from './entryQueries.ts';
export type { EntryTransition } from './entryQueries.ts';
export { ENTRY_STATUSES, FILE_IMPORTER } from './EntryVersion.ts';
export type { EntryStatus, EntryVersion } from './EntryVersion.ts';
export { importCatalogueFiles, REGISTRATION_WORKING_DAYS } from './importCatalogueFiles.ts';
export { publishedCatalogueOf } from './publishedCatalogueOf.ts';
