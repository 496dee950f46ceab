import type { Department } from './departmentSchema.ts';
import type { ParsedCatalogueEntry, ParsedDataItem } from './catalogueEntrySchema.ts';

/** A data item after validation: its element and source resolved, key-ness known. */
export interface CatalogueItem extends ParsedDataItem {
  /** The data element the item carries (`Type.item` unless the file names one). */
  element: string;
  /** `DATASET.item` of the authoritative item this copies; absent when authoritative. */
  source?: string;
  isKey: boolean;
}

/** A validated catalogue entry, with the file it came from. */
export interface CatalogueEntry extends Omit<ParsedCatalogueEntry, 'items'> {
  file: string;
  items: CatalogueItem[];
}

/** A department with the folder it lives in and its validated entries. */
export interface CatalogueDepartment extends Department {
  dir: string;
  entries: CatalogueEntry[];
}

/** The whole validated catalogue: every department and entry, with lookups. */
export class Catalogue {
  readonly departments: readonly CatalogueDepartment[];
  readonly entries: readonly CatalogueEntry[];
  private readonly byCode: ReadonlyMap<string, CatalogueEntry>;
  private readonly byType: ReadonlyMap<string, CatalogueEntry>;
  private readonly sources: ReadonlyMap<string, unknown>;

  /** `sources` holds each entry's document as registered (before defaults), by code. */
  constructor(
    departments: readonly CatalogueDepartment[],
    sources: ReadonlyMap<string, unknown> = new Map(),
  ) {
    this.departments = departments;
    this.sources = sources;
    this.entries = departments.flatMap((d) => d.entries);
    this.byCode = new Map(this.entries.map((e) => [e.code, e]));
    this.byType = new Map(this.entries.map((e) => [e.binding.type, e]));
  }

  entry(code: string): CatalogueEntry | undefined {
    return this.byCode.get(code);
  }

  /** The dataset whose GraphQL type is `type`: the type's owner. */
  entryForType(type: string): CatalogueEntry | undefined {
    return this.byType.get(type);
  }

  /** The entry's document as registered (a catalogue file's content), for storing and showing. */
  source(code: string): unknown {
    return this.sources.get(code);
  }

  department(code: string): CatalogueDepartment | undefined {
    return this.departments.find((d) => d.code === code);
  }
}

/** The key items of an entry, in key order. */
export function keyItems(entry: CatalogueEntry): CatalogueItem[] {
  return entry.binding.key.map((name) => {
    const item = entry.items.find((i) => i.name === name);
    if (!item) throw new Error(`${entry.code}: key item ${name} is not an item`);
    return item;
  });
}
