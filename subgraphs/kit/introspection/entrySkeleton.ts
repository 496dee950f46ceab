import { Document, isScalar, isSeq, stringify } from 'yaml';
import { catalogueEntrySchema } from '../../../schema/index.ts';
import type { CatalogueEntryInput, DataItemInput } from '../../../schema/index.ts';
import type { ColumnDescription, TableDescription } from './describeTable.ts';
import { itemTypeOfSql } from './itemTypeOfSql.ts';

/** Who provides the dataset and what it is called; `type` and `name` have defaults. */
export interface EntrySkeletonOptions {
  /** The providing department's code, e.g. public_security. */
  department: string;
  /** The resource code to register the dataset under, e.g. PS-RP-001. */
  code: string;
  /** GraphQL type name; default the PascalCase singular of the table (residence_permits → ResidencePermit). */
  type?: string;
  /** Dataset name; default a TODO placeholder. */
  name?: string;
}

const SQL_COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The YAML text of a catalogue entry for the described table: every field the
 * file schema requires, with TODO placeholders where only a person can answer
 * (name, summary, theme, legal basis, each item's title and description) and a
 * header comment listing them. Sharing defaults to NOT_SHARED, the most
 * restrictive choice, so registering the skeleton shares nothing before someone
 * decides; every item defaults to INTERNAL.
 *
 * The text passes `catalogueEntrySchema` as it stands (placeholders are non-empty),
 * so department IT can save it as a draft and refine it in small steps; a draft
 * with any `TODO` left is refused at submission, naming the field. Throws when
 * the table has no primary key (a dataset is looked up by its key), when a column
 * name is not a plain SQL identifier the catalogue can bind, when two columns map
 * to one item name, or when an option (department, code, type, name) breaks the
 * file schema.
 */
export function entrySkeleton(
  description: TableDescription,
  options: EntrySkeletonOptions,
): string {
  const { table, columns, primaryKey } = description;
  if (primaryKey.length === 0) {
    throw new Error(`table ${table} has no primary key; a dataset needs a key`);
  }
  const itemNames = new Map<string, string>();
  for (const column of columns) {
    if (!SQL_COLUMN.test(column.name)) {
      throw new Error(
        `column ${JSON.stringify(column.name)} of table ${table} is not a SQL name of letters, ` +
          'digits and _; rename it (or expose it through a view) before registering the table',
      );
    }
    const name = itemName(column.name);
    const clash = [...itemNames].find(([, n]) => n === name);
    if (clash) {
      throw new Error(
        `columns ${clash[0]} and ${column.name} of table ${table} would both be item ${name}`,
      );
    }
    itemNames.set(column.name, name);
  }

  const entry: CatalogueEntryInput = {
    code: options.code,
    name: options.name ?? 'TODO: name of the dataset',
    summary: 'TODO: summarise what the dataset holds, whom it covers and where it comes from',
    classification: 'DEPARTMENT',
    theme: 'TODO: theme of the dataset',
    department: options.department,
    format: 'DATABASE',
    updateCycle: 'IRREGULAR',
    publishedOn: new Date().toISOString().slice(0, 10),
    sharing: {
      type: 'NOT_SHARED',
      legalBasis: 'TODO: cite the legal basis',
      conditions: '',
      modes: ['QUERY'],
    },
    binding: {
      table,
      type: options.type ?? typeName(table),
      key: primaryKey.map((column) => itemNames.get(column) ?? itemName(column)),
    },
    items: columns.map((column) => item(column, itemNames.get(column.name)!)),
  };

  const checked = catalogueEntrySchema.safeParse(entry);
  if (!checked.success) {
    throw new Error(
      `cannot make a catalogue entry for table ${table}:\n` +
        checked.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  }
  return header(table, options.name === undefined) + toYaml(entry);
}

/**
 * Written like the hand-made entries: the date quoted (so no YAML 1.1 reader takes
 * it for a timestamp), key and modes as flow lists, single quotes.
 */
function toYaml(entry: CatalogueEntryInput): string {
  const doc = new Document(entry);
  const publishedOn = doc.get('publishedOn', true);
  if (isScalar(publishedOn)) publishedOn.type = 'QUOTE_SINGLE';
  for (const path of [
    ['sharing', 'modes'],
    ['binding', 'key'],
  ]) {
    const list = doc.getIn(path, true);
    if (isSeq(list)) list.flow = true;
  }
  return stringify(doc, { lineWidth: 100, singleQuote: true, flowCollectionPadding: false });
}

function item(column: ColumnDescription, name: string): DataItemInput {
  const type = itemTypeOfSql(column.sqlType);
  const described = `TODO: describe ${column.name}`;
  return {
    name,
    title: `TODO: 信息项名称 of ${column.name}`,
    description: type
      ? described
      : `${described}; TODO: SQL type ${column.sqlType || '(none declared)'} mapped to STRING`,
    type: type ?? 'STRING',
    column: column.name,
    nullable: column.nullable,
    sensitivity: 'INTERNAL',
  };
}

/** holder_id_number → holderIdNumber; an all-capitals word is lower-cased first (ID_NUMBER → idNumber). */
function itemName(column: string): string {
  const words = column
    .split('_')
    .filter((w) => w !== '')
    .map((w) => (w === w.toUpperCase() ? w.toLowerCase() : w));
  const name = words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() : w.charAt(0).toUpperCase()) + w.slice(1))
    .join('');
  return /^[a-z]/.test(name) ? name : `column${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/** residence_permits → ResidencePermit: PascalCase, last word made singular. */
function typeName(table: string): string {
  const words = table
    .split('_')
    .filter((w) => w !== '')
    .map((w) => (w === w.toUpperCase() ? w.toLowerCase() : w));
  const last = words.length - 1;
  if (last >= 0) words[last] = singular(words[last]!);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[A-Z]/.test(name) ? name : `Dataset${name}`;
}

/** The reverse of the kit's plural(): entries → entry, addresses → address, persons → person. */
function singular(word: string): string {
  if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/s$/i.test(word)) return word.slice(0, -1);
  return word;
}

function header(table: string, nameIsPlaceholder: boolean): string {
  const placeholders = [
    ...(nameIsPlaceholder ? ['name'] : []),
    'summary',
    'theme',
    'sharing.legalBasis',
    "every item's title and description",
  ];
  return [
    `# Catalogue entry skeleton generated from table ${table}.`,
    '# Placeholders to fill in before registering (each starts with "TODO:"):',
    `#   ${placeholders.join(', ')}.`,
    '# Defaults to review: classification, updateCycle, publishedOn, binding.type, and each',
    "# item's type and sensitivity (INTERNAL). Sharing is NOT_SHARED until someone decides",
    '# otherwise; then set sharing.type, conditions and modes.',
    '',
  ].join('\n');
}
