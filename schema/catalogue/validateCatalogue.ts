import type { CatalogueProblem } from './CatalogueError.ts';
import type { CatalogueEntry, CatalogueItem } from './Catalogue.ts';
import { checkItemElements, checkOneSource, isOtherLevelSource } from './checkElements.ts';
import type { ParsedCatalogueEntry } from './catalogueEntrySchema.ts';
import type { SharingType } from './enums.ts';
import { placeholderProblems } from './placeholderProblems.ts';
import { reservedTableReason } from './reservedTables.ts';

/** Type names the subgraph kit generates or federation reserves; a dataset may not take them. */
const RESERVED_TYPES = new Set([
  'Query',
  'Mutation',
  'Subscription',
  'PageInfo',
  'StringFilter',
  'IntFilter',
  'FloatFilter',
  'BooleanFilter',
  'DateFilter',
]);

const KEY_TYPES = new Set(['STRING', 'INT']);

/** Field names the subgraph kit adds to every entity type: the opaque join handle. */
const RESERVED_FIELDS = new Set(['joinHandle']);

export interface EntryFile {
  file: string;
  entry: ParsedCatalogueEntry;
}

/**
 * Resolves and checks entries that each passed the file schema, against each other:
 * keys, references, sources, and one authoritative source per data element.
 * Returns the resolved entries and every problem found.
 */
export function validateCatalogue(files: readonly EntryFile[]): {
  entries: CatalogueEntry[];
  problems: CatalogueProblem[];
} {
  const problems: CatalogueProblem[] = [];
  const report = (file: string, field: string, message: string) =>
    problems.push({ file, field, message });

  const byCode = new Map<string, EntryFile>();
  const byType = new Map<string, EntryFile>();
  for (const f of files) {
    const { code, binding } = f.entry;
    const seen = byCode.get(code);
    if (seen) report(f.file, 'code', `resource code ${code} is already used by ${seen.file}`);
    else byCode.set(code, f);
    const owner = byType.get(binding.type);
    if (owner) {
      report(
        f.file,
        'binding.type',
        `type ${binding.type} is already served by ${owner.entry.code} (${owner.file}); one dataset per type`,
      );
    } else byType.set(binding.type, f);
    if (RESERVED_TYPES.has(binding.type) || binding.type.startsWith('_')) {
      report(f.file, 'binding.type', `${binding.type} is reserved; choose another type name`);
    }
    const reservedTable = reservedTableReason(binding.table);
    if (reservedTable) report(f.file, 'binding.table', reservedTable);
    problems.push(...placeholderProblems(f.file, f.entry));
  }

  const entries = files.map(({ file, entry }) => resolveEntry(file, entry, byType, report));

  // Second pass: sources name authoritative items, whose element the copy carries.
  const entryByCode = new Map(entries.map((e) => [e.code, e]));
  for (const entry of entries) {
    entry.items.forEach((item, index) => {
      if (item.authoritative || !item.source) return;
      // Another level's source is checked by the platform, against its directory of linked platforms.
      if (isOtherLevelSource(item.source)) return;
      const [code = '', name = ''] = item.source.split('.');
      const target = entryByCode.get(code)?.items.find((i) => i.name === name);
      if (!target) {
        report(entry.file, `items[${index}].source`, `${item.source} names no catalogue item`);
      } else if (!target.authoritative) {
        report(
          entry.file,
          `items[${index}].source`,
          `${item.source} is itself a copy; name the authoritative item`,
        );
      } else {
        item.element = target.element;
      }
    });
    entry.related.forEach((code, index) => {
      if (!entryByCode.has(code)) {
        report(entry.file, `related[${index}]`, `${code} is not a resource code in the catalogue`);
      }
    });
  }

  // Items name the dictionary's elements; one authoritative source per one-source
  // element, decided on elements (not titles).
  checkItemElements(entries, report);
  checkOneSource(entries, report);
  checkReverseFields(entries, report);
  checkSourcedSharing(entries, report);
  return { entries, problems };
}

function resolveEntry(
  file: string,
  entry: ParsedCatalogueEntry,
  byType: ReadonlyMap<string, EntryFile>,
  report: (file: string, field: string, message: string) => void,
): CatalogueEntry {
  const { sharing, binding } = entry;
  if (sharing.type !== 'UNCONDITIONAL' && sharing.legalBasis === '') {
    report(
      file,
      'sharing.legalBasis',
      `required when sharing.type is ${sharing.type}: cite the law or regulation that conditions or forbids sharing`,
    );
  }
  if (new Set(sharing.modes).size !== sharing.modes.length) {
    report(file, 'sharing.modes', 'each mode may be listed once');
  }

  const names = new Set<string>();
  const columns = new Set<string>();
  const fields = new Set<string>();
  const items: CatalogueItem[] = entry.items.map((item, index) => {
    const at = `items[${index}]`;
    if (names.has(item.name)) report(file, `${at}.name`, `item ${item.name} is listed twice`);
    if (columns.has(item.column)) {
      report(file, `${at}.column`, `column ${item.column} is bound to two items`);
    }
    if (RESERVED_FIELDS.has(item.name)) {
      report(
        file,
        `${at}.name`,
        `${item.name} is reserved by the platform; choose another item name`,
      );
    }
    names.add(item.name);
    columns.add(item.column);
    fields.add(item.name);
    const isKey = binding.key.includes(item.name);
    const resolved: CatalogueItem = {
      ...item,
      nullable: isKey ? false : item.nullable,
      element: item.element ?? `${binding.type}.${item.name}`,
      isKey,
    };
    if (item.references) {
      const target = byType.get(item.references.type);
      const targetKey = target?.entry.binding.key;
      if (!target || !targetKey) {
        report(
          file,
          `${at}.references.type`,
          `no dataset in the catalogue serves type ${item.references.type}`,
        );
      } else if (target.file === file) {
        report(file, `${at}.references.type`, 'a dataset cannot reference its own type');
      } else if (targetKey.length !== 1) {
        report(
          file,
          `${at}.references.type`,
          `${item.references.type} has a composite key; reference a single-key entity`,
        );
      } else {
        const keyItem = target.entry.items.find((i) => i.name === targetKey[0]);
        if (keyItem && keyItem.type !== item.type) {
          report(
            file,
            `${at}.type`,
            `must be ${keyItem.type} like the key ${item.references.type}.${keyItem.name} it references`,
          );
        }
        resolved.authoritative = false;
        resolved.source = `${target.entry.code}.${targetKey[0]}`;
      }
    } else if (!item.authoritative && !item.source) {
      report(
        file,
        `${at}.source`,
        'an item that is not authoritative must name its source as DATASET_CODE.itemName',
      );
    } else if (item.authoritative && item.source) {
      report(
        file,
        `${at}.source`,
        'an authoritative item has no source; remove source or set authoritative: false',
      );
    }
    return resolved;
  });

  entry.items.forEach((item, index) => {
    const field = item.references?.field;
    if (field && fields.has(field)) {
      report(
        file,
        `items[${index}].references.field`,
        `${field} is already a field of ${binding.type}`,
      );
    }
    if (field) fields.add(field);
  });

  binding.key.forEach((name, index) => {
    const item = items.find((i) => i.name === name);
    if (!item) report(file, `binding.key[${index}]`, `${name} is not one of the dataset's items`);
    else if (!KEY_TYPES.has(item.type)) {
      report(
        file,
        `binding.key[${index}]`,
        `key item ${name} is ${item.type}; a key must be STRING or INT`,
      );
    }
  });
  checkItemSharing(file, sharing.type, items, report);
  if (binding.changedAt !== undefined && !sharing.modes.includes('EXPORT')) {
    report(
      file,
      'binding.changedAt',
      'only incremental exports read changedAt: add EXPORT to sharing.modes, or remove changedAt',
    );
  }
  if (sharing.modes.includes('VERIFY') && items.every((i) => i.isKey)) {
    report(file, 'sharing.modes', 'VERIFY needs at least one item besides the key to verify');
  }

  return { ...entry, file, items };
}

/** How openly each sharing type shares: a larger number is more open. */
export const OPENNESS = { NOT_SHARED: 0, CONDITIONAL: 1, UNCONDITIONAL: 2 } as const;

/** The sharing type an item is served under: its own, or its entry's. */
export function itemSharingType(
  entry: Pick<CatalogueEntry, 'sharing'>,
  item: Pick<CatalogueItem, 'sharingType'>,
): SharingType {
  return item.sharingType ?? entry.sharing.type;
}

/** An item's own sharing type is never more open than its entry's; embedded items exist. */
function checkItemSharing(
  file: string,
  entryType: SharingType,
  items: readonly CatalogueItem[],
  report: (file: string, field: string, message: string) => void,
): void {
  const names = new Set(items.map((i) => i.name));
  items.forEach((item, index) => {
    if (item.sharingType && OPENNESS[item.sharingType] > OPENNESS[entryType]) {
      report(
        file,
        `items[${index}].sharingType`,
        `${item.sharingType} is more open than the entry's ${entryType}; an item may only be shared less openly than its entry`,
      );
    }
    item.embeds?.items.forEach((name, i) => {
      if (name === item.name || !names.has(name)) {
        report(
          file,
          `items[${index}].embeds.items[${i}]`,
          `${name} is not another item of this entry; list the items whose facts ${item.name} carries`,
        );
      }
    });
  });
}

/**
 * One number, one source, in sharing too: an item copied from another entry
 * (`source`, or a reference to its entity) is never published more openly than
 * the item it copies. Reports the copy, naming both entries.
 */
function checkSourcedSharing(
  entries: readonly CatalogueEntry[],
  report: (file: string, field: string, message: string) => void,
): void {
  const byCode = new Map(entries.map((e) => [e.code, e]));
  for (const entry of entries) {
    entry.items.forEach((item, index) => {
      if (!item.source) return;
      const [code = '', name = ''] = item.source.split('.');
      const source = byCode.get(code);
      const sourceItem = source?.items.find((i) => i.name === name);
      if (!source || !sourceItem) return;
      const copy = itemSharingType(entry, item);
      const original = itemSharingType(source, sourceItem);
      if (OPENNESS[copy] > OPENNESS[original]) {
        report(
          entry.file,
          `items[${index}].sharingType`,
          `${entry.code}.${item.name} copies ${item.source}, which is ${original} in ${source.code}; ` +
            `as ${copy} it would be published more openly than its source. Give the item sharingType: ${original} (or stricter)`,
        );
      }
    });
  }
}

/** Two datasets may not add the same field to one entity. */
function checkReverseFields(
  entries: readonly CatalogueEntry[],
  report: (file: string, field: string, message: string) => void,
): void {
  const added = new Map<string, string>();
  const ownFields = new Map(
    entries.map((e) => [
      e.binding.type,
      new Set(e.items.flatMap((i) => [i.name, ...(i.references ? [i.references.field] : [])])),
    ]),
  );
  for (const entry of entries) {
    entry.items.forEach((item, index) => {
      const ref = item.references;
      if (!ref?.reverse) return;
      const at = `${ref.type}.${ref.reverse}`;
      const by = added.get(at);
      if (by)
        report(entry.file, `items[${index}].references.reverse`, `${at} is already added by ${by}`);
      else if (ownFields.get(ref.type)?.has(ref.reverse)) {
        report(
          entry.file,
          `items[${index}].references.reverse`,
          `${at} is already an item of ${ref.type}`,
        );
      } else added.set(at, `${entry.code} (${entry.file})`);
    });
  }
}
