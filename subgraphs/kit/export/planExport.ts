import { badUserInput, notFound } from '../../../schema/index.ts';
import type {
  ExportFilter,
  ExportFormat,
  ExportPlan,
  ExportRecord,
  GrantMask,
} from '../../../server/index.ts';
import { maskedDenial, type RequestAccess } from '../access/index.ts';
import { filterValueProblem, type DatasetTable } from '../sql/index.ts';

/** What the consumer chose: the rest of a plan is the grants' to decide. */
export interface ExportWish {
  items: readonly string[] | null;
  filter: ExportFilter;
  format: ExportFormat;
}

/**
 * Decides an export before any record is read, with the same decisions a
 * query gets, in EXPORT mode: the dataset is admitted (an active, valid grant
 * allowing EXPORT for the declared purpose, or the provider itself); every
 * item asked for is one the grants give (all they give when none is named),
 * masked as they mask it; the consumer's filters are on items it reads
 * unmasked (a filter reveals values); the records are those the grants' row
 * filters admit. Throws the denial — FORBIDDEN with the reason, the dataset
 * and the item — or BAD_USER_INPUT; nothing has been sent then.
 */
export function planExport(
  access: RequestAccess,
  table: DatasetTable,
  wish: ExportWish,
  changedSince: string | null,
): ExportPlan {
  const { entry } = table;
  const decision = access.admit(table, 'EXPORT');
  if (!decision.allowed) throw access.error(table, null, decision);
  if (changedSince !== null) refuseHiddenChanges(access, table);

  const names = wish.items ?? entry.items.map((i) => i.name);
  const items: string[] = [];
  const masks: Record<string, GrantMask> = {};
  for (const name of names) {
    if (!table.hasItem(name)) {
      throw badUserInput(
        `${entry.code} has no item ${name}; its items are ${entry.items.map((i) => i.name).join(', ')}.`,
        'items',
      );
    }
    const cell = access.item(table, table.item(name), 'EXPORT');
    if (cell.kind === 'DENY') {
      // Asked by name, a denied item refuses the export; by default it is left out.
      if (wish.items) throw access.error(table, name, cell);
      continue;
    }
    if (!items.includes(name)) items.push(name);
    if (cell.kind === 'MASK') masks[name] = cell.mask;
  }
  if (items.length === 0) {
    throw access.error(table, null, {
      reason: 'NO_GRANT',
      message: `None of the items of ${entry.code} may be exported under your grants; apply for a grant that lists them with EXPORT.`,
    });
  }

  for (const name of Object.keys(wish.filter)) {
    if (!table.hasItem(name))
      throw badUserInput(`filter names ${name}, not an item of ${entry.code}.`, 'filter');
    const item = table.item(name);
    const filterable = access.filterable(table, item, 'EXPORT');
    if (filterable.kind === 'DENY') throw access.error(table, name, filterable);
    if (filterable.kind === 'MASK')
      throw access.error(table, name, maskedDenial(item, 'filter on'));
  }
  const problem = filterValueProblem(table, wish.filter);
  if (problem) throw badUserInput(problem, 'filter');

  return {
    dataset: entry.code,
    format: wish.format,
    items,
    masks,
    filter: wish.filter,
    rowFilters: access.scope(table, 'EXPORT') as ExportFilter[] | null,
    grants: decision.grants.map((g) => g.id),
    changedSince,
  };
}

/**
 * An incremental export sends again every record whose change column moved,
 * whatever changed in it: to a consumer that cannot read an item, a record sent
 * again with nothing new in it says that item changed (a masked address: the
 * person moved). So incremental exports are open only to a consumer given
 * every item of the dataset unmasked on every record it may export (as a
 * filter needs its item: `filterable`); anyone else exports whole. Refuses with
 * the first item hidden from the consumer.
 */
function refuseHiddenChanges(access: RequestAccess, table: DatasetTable): void {
  for (const item of table.entry.items) {
    // On every record: where grants decide records differently, under each of them
    // (two grants, every item in one region and names everywhere, sent the names
    // of people elsewhere whose hidden address changed).
    const cell = access.filterable(table, item, 'EXPORT');
    if (cell.kind === 'READ') continue;
    throw access.error(table, item.name, {
      reason: cell.kind === 'MASK' ? 'MASKED' : cell.reason,
      message:
        `An incremental export sends a record again whenever any of its items changes, so it would ` +
        `tell you when ${item.name}, which your grants ${cell.kind === 'MASK' ? 'mask' : 'do not give you'}, ` +
        `changed: it is open only to a consumer given every item of ${table.entry.code} unmasked. Export it whole, without since.`,
    });
  }
}

/**
 * Where an incremental export starts: the start of the consumer's previous
 * export of the same dataset (records changed at or after it). Another
 * department's export, or one of another dataset, is not found: its id tells
 * nothing.
 */
export function changedSinceOf(
  table: DatasetTable,
  previous: ExportRecord | undefined,
  department: string,
): string {
  if (!table.entry.binding.changedAt) {
    throw badUserInput(
      `${table.entry.code} declares no change column, so it has no incremental exports; export it whole.`,
      'since',
    );
  }
  if (
    !previous ||
    previous.consumerDepartment !== department ||
    previous.datasetCode !== table.entry.code
  ) {
    throw notFound(
      "since names no export of this dataset by your department; pass the exportId of your previous export's manifest.",
    );
  }
  if (!previous.completedAt) {
    throw badUserInput(
      'since names an export that has not completed; resume it first, or export whole.',
      'since',
    );
  }
  return previous.startedAt;
}

/** Whether a resumption would deliver what the export started with: else the grants changed since. */
export function samePlan(a: ExportPlan, b: ExportPlan): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
