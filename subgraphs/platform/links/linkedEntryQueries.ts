import type { Knex } from 'knex';
import { inTransaction } from '../../../server/index.ts';
import type { CatalogueEntry } from '../../../schema/index.ts';
import type { JsonLdNode } from '../dcat/index.ts';

/** A catalogue entry another platform published, as this platform harvested it. */
export interface LinkedEntry {
  platform: string;
  code: string;
  department: string;
  departmentRegion: string;
  title: string;
  sharingType: string;
  entry: CatalogueEntry;
  /** The entry's `dcat:Dataset` node from the owner's DCAT-AP document. */
  dcat: JsonLdNode;
  harvestedAt: string;
}

interface LinkedEntryRow {
  platform: string;
  code: string;
  department: string;
  department_region: string;
  title: string;
  sharing_type: string;
  entry: string;
  dcat: string;
  harvested_at: string;
}

function fromRow(row: LinkedEntryRow): LinkedEntry {
  return {
    platform: row.platform,
    code: row.code,
    department: row.department,
    departmentRegion: row.department_region,
    title: row.title,
    sharingType: row.sharing_type,
    entry: JSON.parse(row.entry) as CatalogueEntry,
    dcat: JSON.parse(row.dcat) as JsonLdNode,
    harvestedAt: row.harvested_at,
  };
}

/** Replaces what was harvested from `platform` with `entries`: a retired entry leaves. */
export async function replaceLinkedEntries(
  db: Knex,
  platform: string,
  entries: readonly LinkedEntry[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx('linked_entries').where({ platform }).delete();
    for (const e of entries) {
      await trx('linked_entries').insert({
        platform,
        code: e.code,
        department: e.department,
        department_region: e.departmentRegion,
        title: e.title,
        sharing_type: e.sharingType,
        entry: JSON.stringify(e.entry),
        dcat: JSON.stringify(e.dcat),
        harvested_at: e.harvestedAt,
      });
    }
  });
}

export async function selectLinkedEntries(db: Knex, platform?: string): Promise<LinkedEntry[]> {
  const query = db<LinkedEntryRow>('linked_entries').orderBy(['platform', 'code']);
  const rows: LinkedEntryRow[] = await (platform === undefined ? query : query.where({ platform }));
  return rows.map(fromRow);
}

export async function selectLinkedEntry(
  db: Knex,
  platform: string,
  code: string,
): Promise<LinkedEntry | null> {
  const row = await db<LinkedEntryRow>('linked_entries').where({ platform, code }).first();
  return row ? fromRow(row) : null;
}
