import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { allow, and, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import {
  DenialReason,
  ErrorCode,
  type CatalogueItem,
  type SharingMode,
} from '../../../schema/index.ts';
import type { DepartmentModel, ReverseField } from '../DepartmentModel.ts';
import type { SubgraphContext } from '../resolvers/SubgraphContext.ts';
import type { DatasetTable, ListFilter } from '../sql/index.ts';

type ShieldRule = Parameters<typeof and>[number];
type FieldRules = Record<string, ShieldRule>;

/**
 * The graphql-shield rules of a department subgraph, generated from the
 * catalogue: one named rule per dataset (and mode) and per item, every other
 * field denied (`fallbackRule`), federation internals listed explicitly. Rule
 * results are cached per request by name (`contextual`); rules that depend on
 * arguments are not cached. Decisions themselves are memoised per request in
 * `RequestAccess`, so no rule re-decides what the request already decided.
 */
export function buildRules(model: DepartmentModel) {
  const tree: Record<string, FieldRules> = {
    Query: { _entities: allow, _service: composeCredential },
    _Service: { sdl: composeCredential },
    PageInfo: { hasNextPage: allow, endCursor: allow },
  };
  // graphql-shield requires one instance per rule name; a rule used on several
  // fields (a dataset's admission, a join from both ends) is made once.
  const made = new Map<string, ShieldRule>();
  const once = (name: string, make: (name: string) => ShieldRule): ShieldRule => {
    let instance = made.get(name);
    if (!instance) {
      instance = make(name);
      made.set(name, instance);
    }
    return instance;
  };
  const datasetRule = (table: DatasetTable, mode: SharingMode): ShieldRule =>
    once(`${table.entry.code}:${mode}`, (name) =>
      rule(name, { cache: 'contextual' })(async (_p, _a, ctx: SubgraphContext) => {
        const access = ctx.access!;
        const decision = await access.admit(table, mode);
        return decision.allowed ? true : access.error(table, null, decision);
      }),
    );
  const join = (table: DatasetTable, item: CatalogueItem): ShieldRule =>
    once(`${table.entry.code}.${item.name}:join`, (name) => joinRule(name, table, item));

  for (const { table, names, references } of model.datasets) {
    const query = datasetRule(table, 'QUERY');
    tree.Query![names.lookup] = query;
    tree.Query![names.list] = and(query, filterRule(table));
    if (table.entry.sharing.modes.includes('VERIFY')) {
      tree.Query![names.verify] = and(datasetRule(table, 'VERIFY'), verifyMatchRule(table));
    }
    tree[names.connection] = { nodes: query, pageInfo: query };

    const fields: FieldRules = {};
    for (const item of table.entry.items) fields[item.name] = itemRule(table, item);
    for (const { item, field } of references) fields[field] = join(table, item);
    addReverseRules(fields, model.localReverse.get(names.type) ?? [], join);
    tree[names.type] = fields;
  }

  for (const { ref, reverse } of model.foreignEntities.values()) {
    const fields: FieldRules = { [ref.keyItem.name]: allow };
    addReverseRules(fields, reverse, join);
    tree[ref.type] = fields;
  }

  return shield(tree as IRules, {
    fallbackRule: rule('noSharingDecision', { cache: 'no_cache' })(() => false),
    fallbackError: (
      _thrown: unknown,
      _parent: unknown,
      _args: unknown,
      _ctx: unknown,
      info: GraphQLResolveInfo,
    ) =>
      new GraphQLError(
        `${info.parentType.name}.${info.fieldName} has no sharing rule in the catalogue; it is denied until it has one.`,
        {
          extensions: {
            code: ErrorCode.FORBIDDEN,
            dataset: null,
            item: `${info.parentType.name}.${info.fieldName}`,
            reason: DenialReason.NOT_SHARED,
          },
        },
      ),
    allowExternalErrors: true,
  });
}

/** `_service { sdl }` answers only to the composition credential. */
const composeCredential = rule('composeCredential', { cache: 'contextual' })(
  (_p, _a, ctx: SubgraphContext) =>
    ctx.composeOnly ||
    new GraphQLError('The SDL is served to the platform registry only.', {
      extensions: { code: ErrorCode.FORBIDDEN },
    }),
);

/** An item: the dataset must be admitted and the item within the caller's grant (masked or not). */
function itemRule(table: DatasetTable, item: CatalogueItem): ShieldRule {
  return rule(`${table.entry.code}.${item.name}`, { cache: 'contextual' })(
    async (_p, _a, ctx: SubgraphContext) => {
      const access = ctx.access!;
      const decision = await access.admit(table, 'QUERY');
      if (!decision.allowed) return access.error(table, item.name, decision);
      const granted = access.item(table, item);
      return granted.kind === 'DENY' ? access.error(table, item.name, granted) : true;
    },
  );
}

/**
 * A join through an item, either way: a reference follows the item's value to
 * another entity, a reverse field finds rows by it. A masked item may not be
 * joined through, or its unmasked value would travel with the join (or be
 * confirmed by it, a value at a time).
 */
function joinRule(name: string, table: DatasetTable, item: CatalogueItem): ShieldRule {
  return rule(name, { cache: 'contextual' })(async (_p, _a, ctx: SubgraphContext) => {
    const access = ctx.access!;
    const decision = await access.admit(table, 'QUERY');
    // The whole dataset is refused: say so (item null), as its lookups and lists do.
    if (!decision.allowed) return access.error(table, null, decision);
    const granted = access.item(table, item);
    if (granted.kind === 'DENY') return access.error(table, item.name, granted);
    if (granted.kind === 'MASK') {
      return access.error(table, item.name, {
        reason: 'NO_GRANT',
        message: `${item.name} is masked under your grant, so the entity it refers to cannot be joined through it.`,
      });
    }
    return true;
  });
}

/** Filtering on an item reveals its values, so a filter may use only items read unmasked. */
function filterRule(table: DatasetTable): ShieldRule {
  return rule(`${table.entry.code}:filter`, { cache: 'no_cache' })(
    (_p, args: { filter?: ListFilter | null }, ctx: SubgraphContext) =>
      requireItems(ctx, table, Object.keys(args.filter ?? {}), 'READ', 'filter on'),
  );
}

/** Verification may compare only items within the caller's grant. */
function verifyMatchRule(table: DatasetTable): ShieldRule {
  return rule(`${table.entry.code}:match`, { cache: 'no_cache' })(
    (_p, args: { match?: Record<string, unknown> | null }, ctx: SubgraphContext) =>
      requireItems(ctx, table, Object.keys(args.match ?? {}), 'MASK', 'verify', 'VERIFY'),
  );
}

function requireItems(
  ctx: SubgraphContext,
  table: DatasetTable,
  names: readonly string[],
  weakest: 'READ' | 'MASK',
  verb: string,
  mode: SharingMode = 'QUERY',
): true | GraphQLError {
  const access = ctx.access!;
  for (const name of names) {
    const granted = access.item(table, table.item(name), mode);
    if (granted.kind === 'DENY') return access.error(table, name, granted);
    if (granted.kind === 'MASK' && weakest === 'READ') {
      return access.error(table, name, {
        reason: 'NO_GRANT',
        message: `${name} is masked under your grant; you may not ${verb} it.`,
      });
    }
  }
  return true;
}

/**
 * A reverse field (Person.licenses) finds rows by the value of their reference
 * item: a lookup by that item, so it is a join through it, governed like one.
 */
function addReverseRules(
  fields: FieldRules,
  reverse: readonly ReverseField[],
  join: (table: DatasetTable, item: CatalogueItem) => ShieldRule,
): void {
  for (const { field, dataset, itemName } of reverse) {
    fields[field] = join(dataset.table, dataset.table.item(itemName));
  }
}
