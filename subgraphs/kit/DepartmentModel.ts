import type { Catalogue, CatalogueDepartment, CatalogueItem } from '../../schema/index.ts';
import { datasetNames, type DatasetNames } from './naming.ts';
import { DatasetTable } from './sql/index.ts';

/** A dataset served by this department, with its table binding and GraphQL names. */
export interface ServedDataset {
  table: DatasetTable;
  names: DatasetNames;
  /** Items that point at another entity, and the field that resolves it. */
  references: readonly { item: CatalogueItem; field: string; target: EntityRef }[];
}

/** An entity type as another dataset refers to it: its name and its single key item. */
export interface EntityRef {
  type: string;
  keyItem: CatalogueItem;
  /** The dataset owning the type, when this department serves it. */
  local?: ServedDataset;
}

/** A field this department adds to an entity: the rows of `dataset` that reference it. */
export interface ReverseField {
  field: string;
  dataset: ServedDataset;
  itemName: string;
}

/**
 * Everything the kit needs to know about one department to build its subgraph,
 * worked out once from the catalogue: datasets served, entity references out,
 * and fields added to entities (owned here or elsewhere).
 */
export class DepartmentModel {
  readonly department: CatalogueDepartment;
  readonly datasets: readonly ServedDataset[];
  /** Entities of other departments this subgraph mentions, with the fields it adds to them. */
  readonly foreignEntities: ReadonlyMap<string, { ref: EntityRef; reverse: ReverseField[] }>;
  /** Fields added to this department's own types by its other datasets. */
  readonly localReverse: ReadonlyMap<string, ReverseField[]>;
  /**
   * All the model was made from, as one string: the department with its
   * entries, and the key item of every entity of another department it
   * refers to. Two catalogues that give a department the same `inputs` give it
   * the same subgraph, so a publication elsewhere need not rebuild it.
   */
  readonly inputs: string;

  constructor(catalogue: Catalogue, departmentCode: string) {
    const department = catalogue.department(departmentCode);
    if (!department) throw new Error(`no department ${departmentCode} in the catalogue`);
    this.department = department;

    const served = department.entries.map((entry) => ({
      table: new DatasetTable(entry),
      names: datasetNames(entry),
      references: [] as ServedDataset['references'][number][],
    }));
    const byType = new Map(served.map((d) => [d.names.type, d]));
    const foreign = new Map<string, { ref: EntityRef; reverse: ReverseField[] }>();
    const localReverse = new Map<string, ReverseField[]>();

    for (const dataset of served) {
      for (const item of dataset.table.entry.items) {
        const ref = item.references;
        if (!ref) continue;
        const targetEntry = catalogue.entryForType(ref.type);
        const keyName = targetEntry?.binding.key[0];
        const keyItem = targetEntry?.items.find((i) => i.name === keyName);
        if (!targetEntry || !keyItem) throw new Error(`${ref.type} is not in the catalogue`);
        const local = byType.get(ref.type);
        const target: EntityRef = { type: ref.type, keyItem, ...(local ? { local } : {}) };
        dataset.references.push({ item, field: ref.field, target });
        const reverse = ref.reverse ? [{ field: ref.reverse, dataset, itemName: item.name }] : [];
        if (local) {
          localReverse.set(ref.type, [...(localReverse.get(ref.type) ?? []), ...reverse]);
        } else {
          const known = foreign.get(ref.type);
          if (known) known.reverse.push(...reverse);
          else foreign.set(ref.type, { ref: target, reverse });
        }
      }
    }
    this.datasets = served;
    this.foreignEntities = foreign;
    this.localReverse = localReverse;
    // An entry's `file` only names where it came from in messages (the platform
    // and a publication's check name the same entry differently): not an input.
    this.inputs = JSON.stringify(
      [department, [...foreign.values()].map(({ ref }) => [ref.type, ref.keyItem])],
      (key, value: unknown) => (key === 'file' ? undefined : value),
    );
  }

  get name(): string {
    return this.department.code;
  }
}
