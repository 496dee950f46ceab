import { badUserInput } from '../../../schema/index.ts';
import type { Sealer } from '../handles/index.ts';
import type { DatasetTable, KeyValue, Row } from '../sql/index.ts';

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

  encode(table: DatasetTable, row: Row): string {
    const key = table.keyOf(row);
    return this.sealer.seal(typeof key === 'object' ? key : [key], this.context(table));
  }

  /**
   * The key inside a cursor this list issued to this department. Anything
   * else — forged, from another list or department, wrong shape — is the
   * client's error, not ours.
   */
  decode(table: DatasetTable, cursor: string): KeyValue {
    const parts = this.sealer.open(cursor, this.context(table));
    const invalid = () =>
      badUserInput(
        'after is not a cursor issued by this list; pass pageInfo.endCursor unchanged.',
        'after',
      );
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

  private context(table: DatasetTable): string {
    return `cursor\u0000${table.entry.code}\u0000${this.department ?? ''}`;
  }
}
