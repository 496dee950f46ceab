import { badUserInput } from '../../../schema/index.ts';
import type { Sealer } from '../handles/index.ts';
import {
  ORDER_VALUE,
  type DatasetTable,
  type KeyValue,
  type PageOrder,
  type Row,
} from '../sql/index.ts';

/**
 * List cursors. A cursor holds the key of the last row of a page, and keys are
 * items the caller may not be allowed to read, so it is sealed (see `Sealer`)
 * for this dataset and the caller's department: opaque to the client, useless
 * to another department or on another list.
 */
export class Cursors {
  constructor(
    private readonly sealer: Sealer,
    private readonly department: string | null,
  ) {}

  /**
   * The salt of the keyed-hash order this department's lists of `table` are
   * in when it may not read their key: the same on every host and request, so
   * pages follow on; another department's order is another.
   */
  orderSalt(table: DatasetTable): string {
    return this.sealer.derive(`order\u0000${table.entry.code}\u0000${this.department ?? ''}`);
  }

  /** The cursor after `row`, in the page's order. */
  encode(table: DatasetTable, row: Row, order: PageOrder['by']): string {
    if (order === 'keyed hash') {
      return this.sealer.seal({ h: row[ORDER_VALUE] }, this.context(table, order));
    }
    const key = table.keyOf(row);
    return this.sealer.seal(typeof key === 'object' ? key : [key], this.context(table, order));
  }

  /**
   * Where the page after `cursor` starts, in the order this list is in for
   * this department. Anything else — forged, from another list, order or
   * department, wrong shape — is the client's error, not ours.
   */
  decode(table: DatasetTable, cursor: string, order: 'key'): KeyValue;
  decode(table: DatasetTable, cursor: string, order: 'keyed hash'): string;
  decode(table: DatasetTable, cursor: string, order: PageOrder['by']): KeyValue | string {
    const parts = this.sealer.open(cursor, this.context(table, order));
    const invalid = () =>
      badUserInput(
        'after is not a cursor issued by this list; pass pageInfo.endCursor unchanged.',
        'after',
      );
    if (order === 'keyed hash') {
      const hash = (parts as { h?: unknown } | undefined)?.h;
      if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw invalid();
      return hash;
    }
    if (!Array.isArray(parts) || parts.length !== table.keyItems.length) throw invalid();
    const key = table.keyItems.map((item, i) => {
      const value: unknown = parts[i];
      if (item.type === 'INT' ? Number.isInteger(value) : typeof value === 'string') {
        return value as string | number;
      }
      throw invalid();
    });
    return table.isCompositeKey ? key : key[0]!;
  }

  private context(table: DatasetTable, order: PageOrder['by']): string {
    return `cursor\u0000${table.entry.code}\u0000${this.department ?? ''}\u0000${order}`;
  }
}
