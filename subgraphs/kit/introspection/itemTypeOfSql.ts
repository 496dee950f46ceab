import type { ItemType } from '../../../schema/index.ts';

/** Declared base types (before any `(`, `unsigned`) and the item type each maps to. */
const ITEM_TYPE_OF_SQL: Readonly<Record<string, ItemType>> = {
  varchar: 'STRING',
  char: 'STRING',
  text: 'STRING',
  string: 'STRING',
  tinytext: 'STRING',
  mediumtext: 'STRING',
  longtext: 'STRING',
  int: 'INT',
  integer: 'INT',
  bigint: 'INT',
  smallint: 'INT',
  mediumint: 'INT',
  tinyint: 'INT',
  double: 'FLOAT',
  'double precision': 'FLOAT',
  float: 'FLOAT',
  real: 'FLOAT',
  decimal: 'FLOAT',
  numeric: 'FLOAT',
  boolean: 'BOOLEAN',
  bool: 'BOOLEAN',
  date: 'DATE',
  datetime: 'DATETIME',
  timestamp: 'DATETIME',
};

/** The item type of a declared SQL type, or null when it has no obvious one. */
export function itemTypeOfSql(sqlType: string): ItemType | null {
  const declared = sqlType.trim().toLowerCase();
  if (/^tinyint\s*\(\s*1\s*\)/.test(declared)) return 'BOOLEAN';
  const base = declared
    .replace(/\(.*$/, '')
    .replace(/\b(unsigned|signed|zerofill)\b/g, '')
    .trim()
    .replace(/\s+/g, ' ');
  return ITEM_TYPE_OF_SQL[base] ?? null;
}

/**
 * Whether a column declared `sqlType` can serve an item of `type`: the type
 * `dataset init` would choose for it, or a safe widening (an integer column
 * as FLOAT, a MySQL boolean `tinyint(1)` as INT, an ENUM or SET as STRING).
 * A SQLite column with no declared type fits nothing: declare it.
 */
export function columnFitsItem(type: ItemType, sqlType: string): boolean {
  const natural = itemTypeOfSql(sqlType);
  if (natural === type) return true;
  if (type === 'FLOAT' && natural === 'INT') return true;
  if (type === 'INT' && natural === 'BOOLEAN') return true;
  return type === 'STRING' && /^(enum|set)\s*\(/i.test(sqlType.trim());
}
