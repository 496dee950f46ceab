import DataLoader from 'dataloader';
import type { Knex } from 'knex';
import type { RequestAccess } from '../access/index.ts';
import { keyString, type DatasetTable, type KeyValue, type Row } from '../sql/index.ts';
import { childrenBatch, entityBatch, type Charge } from './batchFunctions.ts';

/** Largest IN list one statement carries; bigger batches are split. */
const MAX_BATCH = 1000;

/**
 * The DataLoaders of one request, made lazily per dataset (and per reference
 * item for one-to-many joins). A new instance per request, so nothing is cached
 * across callers with different rights. Every statement carries the rows the
 * caller may see (`access.scope`), and every record found is counted against
 * the caller's quotas (`access.charge`); `access` is null only in a subgraph
 * built without rules for a benchmark.
 */
export class RequestLoaders {
  private readonly entities = new Map<string, DataLoader<KeyValue, Row | null, string>>();
  private readonly children = new Map<
    string,
    DataLoader<string | number, (Row | Error)[], string>
  >();

  constructor(
    private readonly db: Knex,
    private readonly access: RequestAccess | null,
  ) {}

  entity(table: DatasetTable): DataLoader<KeyValue, Row | null, string> {
    const code = table.entry.code;
    let loader = this.entities.get(code);
    if (!loader) {
      loader = new DataLoader(
        entityBatch(
          this.db,
          table,
          this.access?.scope(table) ?? null,
          // An entity found gives its dataset a record (a key that finds nothing does not).
          this.charge(table, (rows) => rows.length > 0),
        ),
        { cacheKeyFn: keyString, maxBatchSize: MAX_BATCH },
      );
      this.entities.set(code, loader);
    }
    return loader;
  }

  referencing(
    table: DatasetTable,
    itemName: string,
  ): DataLoader<string | number, (Row | Error)[], string> {
    const id = `${table.entry.code}.${itemName}`;
    let loader = this.children.get(id);
    if (!loader) {
      loader = new DataLoader(
        childrenBatch(
          this.db,
          table,
          itemName,
          // A join reaches only the rows of grants that give its item unmasked.
          this.access?.joinScope(table, table.item(itemName)) ?? null,
          // Asking for an entity's related records gives their dataset a record, even when none is found.
          this.charge(table, () => true),
        ),
        { cacheKeyFn: String, maxBatchSize: MAX_BATCH },
      );
      this.children.set(id, loader);
    }
    return loader;
  }

  /**
   * Counts the records a batch found against the caller's quotas, after
   * noting the read in the access log where `noted` holds for them: once per
   * batch, not once per entity resolved.
   */
  private charge(table: DatasetTable, noted: (rows: readonly Row[]) => boolean): Charge {
    const access = this.access;
    if (!access) return (rows) => Promise.resolve(rows);
    return (rows) => {
      if (noted(rows)) access.log.read(table);
      return access.charge(table, rows);
    };
  }
}
