import { badUserInput } from '../../../schema/index.ts';
import type { DatasetTable, KeyValue, Row } from '../sql/index.ts';

/** The opaque cursor of a row: its key, as base64url JSON. */
export function encodeCursor(table: DatasetTable, row: Row): string {
  const key = table.keyOf(row);
  return Buffer.from(JSON.stringify(typeof key === 'object' ? key : [key])).toString('base64url');
}

/**
 * The key inside a cursor this list issued. Anything else — wrong shape, wrong
 * number of parts, wrong types, oversized — is the client's error, not ours.
 */
export function decodeCursor(table: DatasetTable, cursor: string): KeyValue {
  const invalid = () =>
    badUserInput(
      'after is not a cursor issued by this list; pass pageInfo.endCursor unchanged.',
      'after',
    );
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw invalid();
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
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
