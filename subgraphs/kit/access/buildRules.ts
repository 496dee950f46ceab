import {
  defaultFieldResolver,
  GraphQLError,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, and, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import {
  DenialReason,
  ErrorCode,
  type CatalogueItem,
  type SharingMode,
} from '../../../schema/index.ts';
import type { DepartmentModel, ReverseField } from '../DepartmentModel.ts';
import type { RuleContext } from './RuleContext.ts';
import type { DatasetTable, ListFilter } from '../sql/index.ts';
import { JOIN_HANDLE } from '../typeDefs/index.ts';
import { maskedDenial } from './RequestAccess.ts';

type ShieldRule = Parameters<typeof and>[number];
type FieldRules = Record<string, ShieldRule>;
type Verdict = true | GraphQLError;
type Resolver = (
  parent: unknown,
  args: unknown,
  ctx: RuleContext,
  info: GraphQLResolveInfo,
) => unknown;
/** A field middleware as graphql-middleware calls it. */
type FieldMiddleware = (
  resolve: Resolver,
  parent: unknown,
  args: unknown,
  ctx: RuleContext,
  info: GraphQLResolveInfo,
) => unknown;
type Decide = (ctx: RuleContext) => Verdict;

/** A rule decided once per request, and what its fields are known by in `RequestAccess.ruled`. */
interface Contextual {
  token: symbol;
  decide: Decide;
}

/**
 * Applies the department's sharing rules to its schema with graphql-shield.
 *
 * Rules that depend on neither parent nor arguments (a dataset's admission, an
 * item, a join) are `contextual`: decided once per request. Through shield,
 * every field of such a rule would still take an async hop to read shield's
 * cache (a promise per field of every row), and graphql-middleware's wrapper
 * makes a closure per call. So their fields are wrapped here instead: the
 * first field of the request decides the rule (synchronously, as every
 * contextual rule decides), and from then on a rule that allowed calls the
 * resolver directly, and one that refused goes through shield, which answers
 * its error. Fields whose rule is `allow` (a join handle on every row of a
 * list, `_entities`, page info) are left as they are: through shield each call
 * would await the rule that always allows. Every other field goes through
 * shield as graphql-middleware applies it.
 */
export function applyRules(schema: GraphQLSchema, model: DepartmentModel): GraphQLSchema {
  const { tree, contextual } = buildRuleTree(model);
  const generated = shield(tree as IRules, SHIELD_OPTIONS).generate(schema) as Record<
    string,
    Record<string, unknown>
  >;
  const direct: { type: string; field: string; rule: Contextual; guarded: FieldMiddleware }[] = [];
  for (const [type, fields] of Object.entries(tree)) {
    for (const [field, fieldRule] of Object.entries(fields)) {
      // graphql-middleware leaves a field it is given no middleware for as it is.
      if (fieldRule === allow) {
        delete generated[type]?.[field];
        continue;
      }
      const rule = contextual.get(fieldRule);
      const guarded = generated[type]?.[field];
      if (!rule || typeof guarded !== 'function') continue;
      direct.push({ type, field, rule, guarded: guarded as FieldMiddleware });
      delete generated[type]![field]; // wrapped below
    }
  }
  const ruled = applyMiddleware(schema, generated);
  for (const { type, field, rule, guarded } of direct) {
    const definition = (ruled.getType(type) as GraphQLObjectType).getFields()[field]!;
    definition.resolve = decidedOnce(rule, guarded, definition.resolve ?? defaultFieldResolver);
  }
  return ruled;
}

/** A field of a contextual rule: decided by the rule once per request (see `applyRules`). */
function decidedOnce(
  { token, decide }: Contextual,
  guarded: FieldMiddleware,
  resolve: Resolver,
): Resolver {
  return (parent, args, ctx, info) => {
    const access = ctx.access;
    if (access) {
      let allowed = access.ruled.get(token);
      if (allowed === undefined) {
        allowed = decide(ctx) === true;
        access.ruled.set(token, allowed);
      }
      if (allowed) return resolve(parent, args, ctx, info);
    }
    return guarded(resolve, parent, args, ctx, info);
  };
}

/**
 * The graphql-shield rule tree of a department subgraph, generated from the
 * catalogue: one named rule per dataset (and mode) and per item, every other
 * field denied (`fallbackRule`), federation internals listed explicitly. Rules
 * that depend on arguments are not cached. Decisions themselves are memoised
 * per request in `RequestAccess`, so no rule re-decides what the request
 * already decided.
 */
export function buildRuleTree(model: DepartmentModel): {
  tree: Record<string, FieldRules>;
  contextual: ReadonlyMap<ShieldRule, Contextual>;
} {
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
  const contextualRules = new Map<ShieldRule, Contextual>();
  /** A rule decided once per request (see `applyRules`); through shield, cached for the request. */
  const contextual = (name: string, decide: Decide): ShieldRule =>
    once(name, () => {
      const made = rule(name, { cache: 'contextual' })((_p, _a, ctx: RuleContext) => decide(ctx));
      contextualRules.set(made, { token: Symbol(name), decide });
      return made;
    });
  const datasetRule = (table: DatasetTable, mode: SharingMode): ShieldRule =>
    contextual(`${table.entry.code}:${mode}`, (ctx) => {
      const access = ctx.access!;
      const decision = access.admit(table, mode);
      return decision.allowed ? true : access.error(table, null, decision);
    });
  const join = (table: DatasetTable, item: CatalogueItem): ShieldRule =>
    contextual(`${table.entry.code}.${item.name}:join`, joinDecision(table, item));

  for (const { table, names, references } of model.datasets) {
    const query = datasetRule(table, 'QUERY');
    tree.Query![names.lookup] = query;
    tree.Query![names.list] = and(query, filterRule(table));
    if (table.entry.sharing.modes.includes('VERIFY')) {
      tree.Query![names.verify] = and(datasetRule(table, 'VERIFY'), verifyMatchRule(table));
    }
    tree[names.connection] = { nodes: query, pageInfo: query };

    // The handle reveals nothing; the entity's items are decided one by one.
    const fields: FieldRules = { [JOIN_HANDLE]: allow };
    for (const item of table.entry.items) {
      fields[item.name] = contextual(`${table.entry.code}.${item.name}`, itemDecision(table, item));
    }
    for (const { item, field } of references) fields[field] = join(table, item);
    addReverseRules(fields, model.localReverse.get(names.type) ?? [], join);
    tree[names.type] = fields;
  }

  for (const { reverse, ref } of model.foreignEntities.values()) {
    const fields: FieldRules = { [JOIN_HANDLE]: allow };
    addReverseRules(fields, reverse, join);
    tree[ref.type] = fields;
  }

  return { tree, contextual: contextualRules };
}

/** Deny what has no rule, with an error that says so; let real errors through. */
const SHIELD_OPTIONS: Parameters<typeof shield>[1] = {
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
};

/** `_service { sdl }` answers only to the composition credential. */
const composeCredential = rule('composeCredential', { cache: 'contextual' })(
  (_p, _a, ctx: RuleContext) =>
    ctx.composeOnly ||
    new GraphQLError('The SDL is served to the platform registry only.', {
      extensions: { code: ErrorCode.FORBIDDEN },
    }),
);

/**
 * An item, keys included: the dataset must be admitted and some grant (or the
 * dataset's sharing type) must give the item on the records the caller may
 * see. Per record, the resolver decides again (`RequestAccess.cell`).
 */
function itemDecision(table: DatasetTable, item: CatalogueItem): Decide {
  return (ctx) => {
    const access = ctx.access!;
    const decision = access.admit(table, 'QUERY');
    if (!decision.allowed) return access.error(table, item.name, decision);
    const granted = access.item(table, item);
    return granted.kind === 'DENY' ? access.error(table, item.name, granted) : true;
  };
}

/**
 * A join through an item, either way: a reference follows the item's value to
 * another entity, a reverse field finds rows by it. The value travels only as
 * a sealed handle, so what is shared is the link: it needs the dataset
 * admitted and the item listed in a grant (masked or not), see
 * `RequestAccess.joinable`. What the joined entity shows is its own dataset's
 * decision.
 */
function joinDecision(table: DatasetTable, item: CatalogueItem): Decide {
  return (ctx) => {
    const access = ctx.access!;
    const decision = access.admit(table, 'QUERY');
    // The whole dataset is refused: say so (item null), as its lookups and lists do.
    if (!decision.allowed) return access.error(table, null, decision);
    const granted = access.joinable(table, item);
    return granted.kind === 'DENY' ? access.error(table, item.name, granted) : true;
  };
}

/**
 * Filtering on an item reveals its values, so a filter may use only items read
 * unmasked on every record it can reach (`RequestAccess.filterable`).
 */
function filterRule(table: DatasetTable): ShieldRule {
  return rule(`${table.entry.code}:filter`, { cache: 'no_cache' })(
    (_p, args: { filter?: ListFilter | null }, ctx: RuleContext) => {
      const access = ctx.access!;
      for (const name of Object.keys(args.filter ?? {})) {
        const item = table.item(name);
        const granted = access.filterable(table, item);
        if (granted.kind === 'DENY') return access.error(table, name, granted);
        if (granted.kind === 'MASK')
          return access.error(table, name, maskedDenial(item, 'filter on'));
      }
      return true;
    },
  );
}

/** A yes/no about a value is a read of it: verification compares only items read unmasked in VERIFY mode. */
function verifyMatchRule(table: DatasetTable): ShieldRule {
  return rule(`${table.entry.code}:match`, { cache: 'no_cache' })(
    (_p, args: { match?: Record<string, unknown> | null }, ctx: RuleContext) =>
      requireUnmasked(ctx, table, Object.keys(args.match ?? {}), 'verify', 'VERIFY'),
  );
}

function requireUnmasked(
  ctx: RuleContext,
  table: DatasetTable,
  names: readonly string[],
  verb: string,
  mode: SharingMode,
): true | GraphQLError {
  const access = ctx.access!;
  for (const name of names) {
    const item = table.item(name);
    const granted = access.item(table, item, mode);
    if (granted.kind === 'DENY') return access.error(table, name, granted);
    if (granted.kind === 'MASK') return access.error(table, name, maskedDenial(item, verb));
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
