import DataLoader from 'dataloader';
import type { Knex } from 'knex';
import {
  keyString,
  type DatasetTable,
  type KeyValue,
  type ListFilter,
  type Row,
} from '../sql/index.ts';
import { childrenBatch, entityBatch } from './batchFunctions.ts';

/** Largest IN list one statement carries; bigger batches are split. */
const MAX_BATCH = 1000;

/**
 * The DataLoaders of one request, made lazily per dataset (and per reference
 * item for one-to-many joins). A new instance per request, so nothing is cached
 * across callers with different rights. `scopeOf` gives the caller's row filter
 * per dataset, which every statement carries.
 */
export class RequestLoaders {
  private readonly entities = new Map<string, DataLoader<KeyValue, Row | null, string>>();
  private readonly children = new Map<string, DataLoader<string | number, Row[], string>>();

  constructor(
    private readonly db: Knex,
    private readonly scopeOf: (table: DatasetTable) => ListFilter | null,
  ) {}

  entity(table: DatasetTable): DataLoader<KeyValue, Row | null, string> {
    const code = table.entry.code;
    let loader = this.entities.get(code);
    if (!loader) {
      loader = new DataLoader(entityBatch(this.db, table, this.scopeOf(table)), {
        cacheKeyFn: keyString,
        maxBatchSize: MAX_BATCH,
      });
      this.entities.set(code, loader);
    }
    return loader;
  }

  referencing(table: DatasetTable, itemName: string): DataLoader<string | number, Row[], string> {
    const id = `${table.entry.code}.${itemName}`;
    let loader = this.children.get(id);
    if (!loader) {
      loader = new DataLoader(childrenBatch(this.db, table, itemName, this.scopeOf(table)), {
        cacheKeyFn: String,
        maxBatchSize: MAX_BATCH,
      });
      this.children.set(id, loader);
    }
    return loader;
  }
}
