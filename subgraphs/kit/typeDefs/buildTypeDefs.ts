import type { CatalogueItem } from '../../../schema/index.ts';
import type { DepartmentModel, ReverseField, ServedDataset } from '../DepartmentModel.ts';
import { ITEM_FILTER, ITEM_SCALAR, SHARED_TYPES } from './scalars.ts';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

/**
 * The federation key of every entity: an opaque handle the platform seals per
 * request. Keys themselves are items, decided like any other.
 */
export const JOIN_HANDLE = 'joinHandle';

const JOIN_HANDLE_FIELD = `  ${JSON.stringify(
  'Opaque handle the platform joins this entity by, valid only within this request. It reveals nothing; read the key items your grant shows instead.',
)}\n  ${JOIN_HANDLE}: ID!`;

/** A GraphQL string literal; JSON's escapes are GraphQL's. */
const text = (value: string) => JSON.stringify(value);

/**
 * The Federation 2 SDL of a department's subgraph, generated from its catalogue
 * entries: an entity type per dataset with the catalogue's descriptions, lookups,
 * paginated lists with filters, verification fields for VERIFY datasets, stubs
 * for entities of other departments, and the fields it adds to them.
 */
export function buildTypeDefs(model: DepartmentModel, maxPageSize: number): string {
  const parts: string[] = [FEDERATION_LINK];
  const shared = new Set<string>(['PageInfo']);
  const queryFields: string[] = [];

  for (const dataset of model.datasets) {
    parts.push(entityType(dataset, model.localReverse.get(dataset.names.type) ?? []));
    parts.push(connectionType(dataset));
    parts.push(filterInput(dataset, shared));
    queryFields.push(...queries(dataset, maxPageSize));
    if (dataset.table.entry.sharing.modes.includes('VERIFY')) parts.push(verifyInput(dataset));
  }

  for (const { ref, reverse } of model.foreignEntities.values()) {
    const resolvable = reverse.length > 0 ? '' : ', resolvable: false';
    const fields = [JOIN_HANDLE_FIELD, ...reverse.map(reverseField)];
    parts.push(
      `type ${ref.type} @key(fields: ${text(JOIN_HANDLE)}${resolvable}) {\n${fields.join('\n')}\n}`,
    );
  }

  parts.push(`type Query {\n${queryFields.join('\n')}\n}`);
  for (const name of [...shared].sort()) parts.push(SHARED_TYPES[name]!);
  return parts.join('\n\n') + '\n';
}

function entityType(dataset: ServedDataset, reverse: readonly ReverseField[]): string {
  const { entry } = dataset.table;
  const description =
    `${entry.name} — dataset ${entry.code}, provided by ${entry.department}. ${entry.summary}\n` +
    `Sharing: ${entry.sharing.type}; modes: ${entry.sharing.modes.join(', ')}.`;
  const fields = entry.items.map(
    (item) => `  ${text(itemDescription(item))}\n  ${item.name}: ${scalarOf(item)}`,
  );
  for (const { item, field, target } of dataset.references) {
    fields.push(
      `  ${text(`${target.type} that ${item.name} refers to (${item.title}).`)}\n  ${field}: ${target.type}`,
    );
  }
  fields.push(...reverse.map(reverseField));
  fields.unshift(JOIN_HANDLE_FIELD);
  return `${text(description)}\ntype ${dataset.names.type} @key(fields: ${text(JOIN_HANDLE)}) {\n${fields.join('\n')}\n}`;
}

function reverseField({ field, dataset, itemName }: ReverseField): string {
  const { entry } = dataset.table;
  return `  ${text(`${entry.name} (${entry.code}) rows whose ${itemName} refers to this; a row is null (with an error) where the caller's daily quota ran out.`)}\n  ${field}: [${dataset.names.type}]`;
}

/** A node is null (with an error) where the caller's daily quota ran out within the page. */
function connectionType({ names }: ServedDataset): string {
  return `${text(`A page of ${names.type}, in key order.`)}\ntype ${names.connection} {\n  nodes: [${names.type}]!\n  pageInfo: PageInfo!\n}`;
}

function filterInput({ table, names }: ServedDataset, shared: Set<string>): string {
  const fields = table.entry.items.map((item) => {
    const filter = ITEM_FILTER[item.type];
    shared.add(filter);
    return `  ${item.name}: ${filter}`;
  });
  return `${text(`Conditions on ${names.type} items; all given conditions must hold.`)}\ninput ${names.filter} {\n${fields.join('\n')}\n}`;
}

function verifyInput({ table, names }: ServedDataset): string {
  const fields = table.entry.items
    .filter((item) => !item.isKey)
    .map((item) => `  ${item.name}: ${ITEM_SCALAR[item.type]}`);
  return `${text(`Values to check against a ${names.type} record; give at least one.`)}\ninput ${names.verifyInput} {\n${fields.join('\n')}\n}`;
}

function queries({ table, names }: ServedDataset, maxPageSize: number): string[] {
  const { entry } = table;
  const keyArgs = table.keyItems.map((k) => `${k.name}: ${ITEM_SCALAR[k.type]}!`).join(', ');
  const fields = [
    `  ${text(`One ${names.type} by key (${entry.code}); null when there is none.`)}\n  ${names.lookup}(${keyArgs}): ${names.type}`,
    `  ${text(`${entry.name} (${entry.code}), in key order. first: 1 to ${maxPageSize}; pass pageInfo.endCursor as after for the next page.`)}\n  ${names.list}(filter: ${names.filter}, first: Int = 20, after: String): ${names.connection}`,
  ];
  if (entry.sharing.modes.includes('VERIFY')) {
    fields.push(
      `  ${text(`Whether the ${names.type} record with this key exists and matches every given value. Answers yes or no; reveals nothing else.`)}\n  ${names.verify}(${keyArgs}, match: ${names.verifyInput}!): Boolean`,
    );
  }
  return fields;
}

function itemDescription(item: CatalogueItem): string {
  const origin = item.authoritative
    ? 'authoritative'
    : `copied from ${item.source ?? 'another dataset'}`;
  return `${item.title}: ${item.description} (${item.type}, ${item.sensitivity.toLowerCase()}, ${origin})`;
}

/**
 * Every item, keys included, is nullable in GraphQL whatever the catalogue
 * says, because a field the caller may not read answers null with an error,
 * and a non-null one would take its parent down with it.
 */
function scalarOf(item: CatalogueItem): string {
  return ITEM_SCALAR[item.type];
}
