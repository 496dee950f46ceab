import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { badUserInput } from '../../../schema/index.ts';
import { applyMask } from '../access/index.ts';
import type { DepartmentModel, ReverseField } from '../DepartmentModel.ts';
import {
  recordMatches,
  selectPage,
  type DatasetTable,
  type KeyValue,
  type ListFilter,
  type Row,
} from '../sql/index.ts';
import { MAX_IN_VALUES } from '../typeDefs/index.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { SubgraphContext } from './SubgraphContext.ts';

type Resolver = (parent: Row, args: Record<string, unknown>, context: SubgraphContext) => unknown;
/** Federation calls `__resolveReference(representation, context, info)`: no arguments. */
type ReferenceResolver = (reference: Row, context: SubgraphContext) => unknown;
type TypeResolvers = Record<string, Resolver>;

/**
 * The resolvers of a department subgraph, generic over its datasets: lookups and
 * entity resolution through the request's DataLoaders, lists through keyset
 * pagination, references to other entities as representations the gateway
 * resolves, one-to-many fields through batched loaders, and masked items. Who
 * may call which field is the rules' business (see `applyRules`); row filters
 * reach SQL through the loaders and query functions.
 */
export function buildResolvers(
  model: DepartmentModel,
  maxPageSize: number,
): GraphQLResolverMap<unknown> {
  const query: TypeResolvers = {};
  const types: Record<string, TypeResolvers | { __resolveReference: ReferenceResolver }> = {};

  for (const dataset of model.datasets) {
    const { table, names } = dataset;
    const keyFromArgs = (args: Record<string, unknown>): KeyValue =>
      table.isCompositeKey
        ? table.keyItems.map((k) => args[k.name] as string | number)
        : (args[table.keyItems[0]!.name] as string | number);

    query[names.lookup] = (_, args, ctx) =>
      counted(ctx, table, ctx.loaders.entity(table).load(keyFromArgs(args)));

    query[names.list] = async (_, args, ctx) => {
      const first = args.first as number;
      if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
        throw badUserInput(
          `first must be between 1 and ${maxPageSize} (got ${first}); page through larger results with after.`,
          'first',
        );
      }
      const filter = (args.filter ?? {}) as ListFilter;
      checkFilter(filter);
      const after = typeof args.after === 'string' ? decodeCursor(table, args.after) : undefined;
      const page = await selectPage(ctx.db, table, {
        filter,
        scope: ctx.access?.rowFilter(table) ?? null,
        first,
        ...(after !== undefined ? { after } : {}),
      });
      ctx.access?.log.rows(table, page.rows.length);
      const last = page.rows.at(-1);
      return {
        nodes: page.rows,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          endCursor: last ? encodeCursor(table, last) : null,
        },
      };
    };

    if (table.entry.sharing.modes.includes('VERIFY')) {
      query[names.verify] = async (_, args, ctx) => {
        const claims = presentValues(args.match);
        if (Object.keys(claims).length === 0) {
          throw badUserInput(
            `match must give at least one value to verify against ${names.type}.`,
            'match',
          );
        }
        ctx.access?.log.verified(table);
        return recordMatches(
          ctx.db,
          table,
          keyFromArgs(args),
          claims,
          ctx.access?.rowFilter(table) ?? null,
        );
      };
    }

    const resolvers: TypeResolvers = {};
    addItemFields(resolvers, table);
    for (const { item, field, target } of dataset.references) {
      const local = target.local;
      resolvers[field] = local
        ? (parent, _, ctx) => {
            const value = parent[item.name] as string | number | null;
            return value === null || value === undefined
              ? null
              : counted(ctx, local.table, ctx.loaders.entity(local.table).load(value));
          }
        : (parent) => {
            const value = parent[item.name];
            return value === null || value === undefined ? null : { [target.keyItem.name]: value };
          };
    }
    addReverseFields(resolvers, model.localReverse.get(names.type) ?? [], table.keyItems[0]!.name);
    const resolveReference: ReferenceResolver = (reference, ctx) =>
      counted(ctx, table, ctx.loaders.entity(table).load(table.keyOf(reference)));
    types[names.type] = { ...resolvers, __resolveReference: resolveReference };
  }

  for (const { ref, reverse } of model.foreignEntities.values()) {
    if (reverse.length === 0) continue;
    const resolvers: TypeResolvers = {};
    addReverseFields(resolvers, reverse, ref.keyItem.name);
    const resolveReference: ReferenceResolver = (reference) => reference;
    types[ref.type] = { ...resolvers, __resolveReference: resolveReference };
  }

  return { Query: query, ...types } as unknown as GraphQLResolverMap<unknown>;
}

/** Item fields answer their value, masked when the caller's grant masks the item. */
function addItemFields(resolvers: TypeResolvers, table: DatasetTable): void {
  for (const item of table.entry.items) {
    if (item.isKey) continue;
    resolvers[item.name] = (parent, _, ctx) => {
      const value = parent[item.name];
      const mask = ctx.access?.mask(table, item);
      ctx.access?.log.item(table, item.name, mask !== null && mask !== undefined);
      return mask ? applyMask(mask, value) : value;
    };
  }
}

function addReverseFields(
  resolvers: TypeResolvers,
  reverse: readonly ReverseField[],
  keyName: string,
): void {
  for (const { field, dataset, itemName } of reverse) {
    resolvers[field] = (parent, _, ctx) => {
      const key = parent[keyName] as string | number | null;
      if (key === null || key === undefined) return [];
      return ctx.loaders
        .referencing(dataset.table, itemName)
        .load(key)
        .then((rows) => {
          ctx.access?.log.rows(dataset.table, rows.length);
          return rows;
        });
    };
  }
}

function presentValues(input: unknown): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries((input ?? {}) as Record<string, unknown>).filter(
      ([, v]) => v !== null && v !== undefined,
    ),
  ) as Record<string, string | number | boolean>;
}

function checkFilter(filter: ListFilter): void {
  for (const [name, condition] of Object.entries(filter)) {
    if (condition?.in && condition.in.length > MAX_IN_VALUES) {
      throw badUserInput(
        `filter.${name}.in has ${condition.in.length} values; at most ${MAX_IN_VALUES} are allowed.`,
        'filter',
      );
    }
  }
}

/** Counts a loaded entity into the request's access log. */
function counted(
  ctx: SubgraphContext,
  table: DatasetTable,
  row: Promise<Row | null>,
): Promise<Row | null> {
  const log = ctx.access?.log;
  return log
    ? row.then((found) => {
        if (found) log.rows(table, 1);
        return found;
      })
    : row;
}
