import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { badUserInput } from '../../../schema/index.ts';
import type { DepartmentModel, ReverseField } from '../DepartmentModel.ts';
import {
  filterValueProblem,
  recordMatches,
  selectPage,
  type DatasetTable,
  type KeyValue,
  type ListFilter,
  type PageOrder,
  type Row,
} from '../sql/index.ts';
import { JOIN_HANDLE, MAX_IN_VALUES } from '../typeDefs/index.ts';
import type { SubgraphContext } from './SubgraphContext.ts';

type Resolver = (parent: Row, args: Record<string, unknown>, context: SubgraphContext) => unknown;
/** Federation calls `__resolveReference(representation, context, info)`: no arguments. */
type ReferenceResolver = (reference: Row, context: SubgraphContext) => unknown;
type TypeResolvers = Record<string, Resolver>;

/**
 * The resolvers of a department subgraph, generic over its datasets: lookups and
 * entity resolution through the request's DataLoaders, lists through keyset
 * pagination, references to other entities as sealed join handles the gateway
 * passes on, one-to-many fields through batched loaders, and every item —
 * keys included — as the caller may see it on that record. Who may call which
 * field at all is the rules' business (see `applyRules`); row filters and
 * quotas reach SQL through the loaders and query functions.
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

    /**
     * The record of `key`. A key the caller cannot read is a guess (a probe): only misses use
     * up the day's budget, and once it is used up no such lookup is answered, found or not.
     */
    const lookUp = async (key: KeyValue, ctx: SubgraphContext): Promise<Row | null> => {
      const probing = ctx.access?.probing(table) ?? false;
      if (probing) await ctx.access!.probe(table);
      const row = await ctx.loaders.entity(table).load(key);
      if (!row) await ctx.access?.refuseIfQuotaSpent(table);
      if (probing && !row) await ctx.access!.missed(table);
      return row;
    };

    query[names.lookup] = (_, args, ctx) => lookUp(keyFromArgs(args), ctx);

    query[names.list] = async (_, args, ctx) => {
      const first = args.first as number;
      if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
        throw badUserInput(
          `first must be between 1 and ${maxPageSize} (got ${first}); page through larger results with after.`,
          'first',
        );
      }
      const filter = (args.filter ?? {}) as ListFilter;
      checkFilter(table, filter);
      const after = typeof args.after === 'string' ? args.after : undefined;
      // The order of a list must not give away a key the caller may not read.
      const order: PageOrder = ctx.access?.probing(table)
        ? {
            by: 'keyed hash',
            salt: ctx.cursors.orderSalt(table),
            ...(after !== undefined
              ? { after: ctx.cursors.decode(table, after, 'keyed hash') }
              : {}),
          }
        : {
            by: 'key',
            ...(after !== undefined ? { after: ctx.cursors.decode(table, after, 'key') } : {}),
          };
      const page = await selectPage(ctx.db, table, {
        filter,
        scope: ctx.access?.scope(table) ?? null,
        first,
        order,
        ...(ctx.access ? { holder: ctx.access.budgetHolder } : {}),
      });
      if (page.rows.length === 0) await ctx.access?.refuseIfQuotaSpent(table);
      const charged = ctx.access ? await ctx.access.charge(table, page.rows) : page.rows;
      // A page read gives its dataset a record, even an empty one.
      ctx.access?.log.read(table);
      // Nothing of it covered: the list is refused whole, as an empty one past the quota is.
      if (charged[0] instanceof Error) throw charged[0];
      // A quota that runs out within the page ends it there: the records it covered, then one
      // error, however many records the filter matched after them (that number is not the
      // caller's to learn: it was a free count of a filter). The cursor resumes after them.
      const cut = charged.findIndex((node) => node instanceof Error);
      const nodes = cut < 0 ? charged : charged.slice(0, cut + 1);
      const last = cut < 0 ? page.rows.at(-1) : page.rows[cut - 1];
      return {
        nodes,
        pageInfo: {
          hasNextPage: cut >= 0 || page.hasNextPage,
          endCursor: last ? ctx.cursors.encode(table, last, order.by) : (after ?? null),
        },
      };
    };

    if (table.entry.sharing.modes.includes('VERIFY')) {
      query[names.verify] = async (_, args, ctx) => {
        const claims = presentValues(args.match);
        const items = Object.keys(claims);
        if (items.length === 0) {
          throw badUserInput(
            `match must give at least one value to verify against ${names.type}.`,
            'match',
          );
        }
        const key = keyFromArgs(args);
        const probing = ctx.access?.probing(table, 'VERIFY') ?? false;
        if (probing) await ctx.access!.probe(table);
        const allowed = ctx.access
          ? await ctx.access.verification(
              table,
              key,
              items.map((n) => table.item(n)),
            )
          : { scope: null };
        const matched = await recordMatches(ctx.db, table, key, claims, allowed.scope);
        ctx.access?.log.verification(table, { items, matched });
        if (probing && !matched) await ctx.access!.missed(table);
        return matched;
      };
    }

    const resolvers: TypeResolvers = {
      [JOIN_HANDLE]: (parent, _, ctx) => ctx.handles.seal(names.type, table.keyOf(parent)),
    };
    addItemFields(resolvers, table);
    for (const { item, field, target } of dataset.references) {
      const local = target.local;
      resolvers[field] = (parent, _, ctx) => {
        const value = parent[item.name] as string | number | null;
        if (value === null || value === undefined) return null;
        const access = ctx.access;
        const link = access?.joinableOn(table, item, parent);
        if (link?.kind === 'DENY') throw access!.error(table, item.name, link);
        if (local) return ctx.loaders.entity(local.table).load(value);
        // Another department's entity: the sealed handle the gateway passes on, and the key,
        // for this subgraph's own reverse fields on the stub (`license { holderPerson { licenses } }`
        // stays in this subgraph; a stub reached through `_entities` has its key opened from the
        // handle). The key is no field of the stub's type, so it never leaves the subgraph.
        return {
          [JOIN_HANDLE]: ctx.handles.seal(target.type, value),
          [target.keyItem.name]: value,
        };
      };
    }
    addReverseFields(resolvers, model.localReverse.get(names.type) ?? [], table.keyItems[0]!.name);
    // An entity reached through a join from another department: refused as a whole, with
    // the reason, when the caller may not read its dataset.
    // The key comes from the other department's record, and that department writes its rows:
    // a join is a lookup by a key it chose, so one the caller cannot read is a probe too.
    const resolveReference: ReferenceResolver = (reference, ctx) => {
      const decision = ctx.access?.admit(table, 'QUERY');
      if (decision && !decision.allowed) throw ctx.access!.error(table, null, decision);
      return lookUp(ctx.handles.openKey(table, reference[JOIN_HANDLE]), ctx);
    };
    types[names.type] = { ...resolvers, __resolveReference: resolveReference };
  }

  for (const { ref, reverse } of model.foreignEntities.values()) {
    if (reverse.length === 0) continue;
    const resolvers: TypeResolvers = {};
    addReverseFields(resolvers, reverse, ref.keyItem.name);
    // A stub of another department's entity: only its key, opened from the handle, is known here.
    const resolveReference: ReferenceResolver = (reference, ctx) => ({
      [JOIN_HANDLE]: reference[JOIN_HANDLE],
      [ref.keyItem.name]: ctx.handles.open(ref.type, reference[JOIN_HANDLE]),
    });
    types[ref.type] = { ...resolvers, __resolveReference: resolveReference };
  }

  return { Query: query, ...types } as unknown as GraphQLResolverMap<unknown>;
}

/**
 * Item fields, keys included, answer the value as the caller may see it on
 * this record: in full, masked, or null with the denial.
 */
function addItemFields(resolvers: TypeResolvers, table: DatasetTable): void {
  for (const item of table.entry.items) {
    const name = item.name;
    resolvers[name] = (parent, _, ctx) =>
      ctx.access ? ctx.access.answer(table, item, parent) : parent[name];
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
      return ctx.loaders.referencing(dataset.table, itemName).load(key);
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

function checkFilter(table: DatasetTable, filter: ListFilter): void {
  const problem = filterValueProblem(table, filter);
  if (problem) throw badUserInput(problem, 'filter');
  for (const [name, condition] of Object.entries(filter)) {
    if (condition?.in && condition.in.length > MAX_IN_VALUES) {
      throw badUserInput(
        `filter.${name}.in has ${condition.in.length} values; at most ${MAX_IN_VALUES} are allowed.`,
        'filter',
      );
    }
  }
}
