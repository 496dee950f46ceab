import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { inTransaction } from '../../../server/index.ts';
import type { Catalogue } from '../../../schema/index.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import { insertEntryVersion, selectEntryVersions } from './entryQueries.ts';
import { FILE_IMPORTER } from './EntryVersion.ts';

/** Working days a department has to register a change (the measures: 10). */
export const REGISTRATION_WORKING_DAYS = 10;

/**
 * Records the catalogue files' entries as published versions: an entry the
 * database does not know yet, or one whose file changed while its published
 * version still came from the file. An entry since changed through the
 * platform's review is left alone (the file is then out of date, and said to be).
 */
export async function importCatalogueFiles(
  db: Knex,
  files: Catalogue,
  calendar: WorkingCalendar,
  log: (message: string) => void = () => {},
): Promise<number> {
  let imported = 0;
  for (const entry of files.entries) {
    const document = files.source(entry.code);
    const versions = await selectEntryVersions(db, entry.code);
    const published = versions.find((v) => v.status === 'PUBLISHED');
    if (published && isDeepStrictEqual(published.document, document)) continue;
    if (published && published.createdBy !== FILE_IMPORTER) {
      log(
        `${entry.file}: ${entry.code} has been changed through the platform since; the file is ignored`,
      );
      continue;
    }
    const now = new Date().toISOString();
    const trigger = published ? now.slice(0, 10) : entry.publishedOn;
    await inTransaction(db, async (trx) => {
      if (published) {
        await trx('catalogue_entries')
          .where({ code: entry.code, version: published.version })
          .update({ status: 'SUPERSEDED', updated_at: now });
      }
      await insertEntryVersion(trx, {
        code: entry.code,
        version: (versions.at(-1)?.version ?? 0) + 1,
        department: entry.department,
        status: 'PUBLISHED',
        document,
        warnings: [],
        changeReason: published
          ? `catalogue file ${entry.file} changed`
          : `registered from ${entry.file}`,
        triggerDate: trigger,
        deadline: calendar.addWorkingDays(trigger, REGISTRATION_WORKING_DAYS),
        createdBy: FILE_IMPORTER,
        createdAt: now,
        submittedBy: FILE_IMPORTER,
        submittedAt: now,
        reviewedBy: FILE_IMPORTER,
        reviewedAt: now,
        reviewReason: null,
        updatedAt: now,
      });
    });
    imported++;
  }
  return imported;
}
