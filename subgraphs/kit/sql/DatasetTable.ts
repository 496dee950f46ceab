import type { CatalogueEntry, CatalogueItem, ItemType } from '../../../schema/index.ts';

/** A row as the kit hands it to resolvers: item name → value. */
export type Row = Record<string, unknown>;

/** A key value: the scalar itself for single keys, the values in key order for composite ones. */
export type KeyValue = string | number | readonly (string | number)[];

/**
 * How one dataset sits in its table, computed once per catalogue version so the
 * request path does no catalogue lookups: select list, key columns, item columns.
 */
export class DatasetTable {
  readonly entry: CatalogueEntry;
  readonly table: string;
  readonly keyItems: readonly CatalogueItem[];
  readonly keyColumns: readonly string[];
  /** `{ itemName: column }` for knex's aliased select. */
  readonly selectList: Readonly<Record<string, string>>;
  private readonly itemsByName: ReadonlyMap<string, CatalogueItem>;
  private readonly converters: readonly [string, (v: unknown) => unknown][];

  constructor(entry: CatalogueEntry) {
    this.entry = entry;
    this.table = entry.binding.table;
    this.itemsByName = new Map(entry.items.map((i) => [i.name, i]));
    this.keyItems = entry.binding.key.map((name) => this.item(name));
    this.keyColumns = this.keyItems.map((i) => i.column);
    this.selectList = Object.fromEntries(entry.items.map((i) => [i.name, i.column]));
    this.converters = entry.items.flatMap((i) => {
      const convert = CONVERTERS[i.type];
      return convert ? [[i.name, convert] as [string, (v: unknown) => unknown]] : [];
    });
  }

  item(name: string): CatalogueItem {
    const item = this.itemsByName.get(name);
    if (!item) throw new Error(`${this.entry.code} has no item ${name}`);
    return item;
  }

  hasItem(name: string): boolean {
    return this.itemsByName.has(name);
  }

  get isCompositeKey(): boolean {
    return this.keyItems.length > 1;
  }

  /** The key of a row (or of an entity representation) in the shape loaders use. */
  keyOf(row: Row): KeyValue {
    if (!this.isCompositeKey) return row[this.keyItems[0]!.name] as string | number;
    return this.keyItems.map((i) => row[i.name] as string | number);
  }

  /** Normalises driver values so SQLite and MySQL rows look the same. */
  toRow(raw: Row): Row {
    for (const [name, convert] of this.converters) {
      const value = raw[name];
      if (value !== null && value !== undefined) raw[name] = convert(value);
    }
    return raw;
  }
}

const CONVERTERS: Partial<Record<ItemType, (v: unknown) => unknown>> = {
  BOOLEAN: (v) => v === true || v === 1 || v === '1',
  INT: (v) => (typeof v === 'number' ? v : Number(v)),
  FLOAT: (v) => (typeof v === 'number' ? v : Number(v)),
};

/** The string a key is cached and grouped by: the value itself, or JSON for composites. */
export function keyString(key: KeyValue): string {
  return typeof key === 'object' ? JSON.stringify(key) : String(key);
}
