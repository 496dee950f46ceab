import {
  getNamedType,
  visit,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';

/** Rows assumed behind a list that takes no `first` (a record's references from another dataset). */
export const UNPAGED_LIST_SIZE = 10;
/** A yes/no verification weighs more than a read: it is counted and limited per record. */
export const VERIFICATION_COST = 5;
/** Selections followed before the estimate gives up and calls the operation too costly. */
const MOST_NODES = 20_000;
/** Estimates kept: most traffic repeats a few operations with a few page sizes. */
const COSTS_KEPT = 2000;
/** Variable values longer than this (as JSON) are not worth a key: such an estimate is not kept. */
const LONGEST_KEY_VALUES = 256;

/**
 * Estimates kept by what they depend on: the schema, the document (its hash),
 * the operation, and the values of only those variables the estimate reads —
 * the ones in a `first` argument or in a directive (`@skip`/`@include`). A
 * lookup estimated once is not walked again for each ID it is sent with.
 * The gateway's operation limits and its admission gate share one.
 */
export class OperationCosts {
  private schema: GraphQLSchema | null = null;
  private readonly kept = new Map<string, number>();
  private readonly inputsOf = new WeakMap<DocumentNode, readonly string[]>();

  /**
   * As {@link estimateCost}, which throws on variables that do not fit the
   * operation: a refused estimate is not kept, so it is refused every time.
   */
  cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    hash: string,
    operationName: string | null,
    variables: Record<string, unknown>,
  ): number {
    if (schema !== this.schema) {
      this.schema = schema;
      this.kept.clear();
    }
    let inputs = this.inputsOf.get(document);
    if (!inputs) {
      inputs = costInputs(document);
      this.inputsOf.set(document, inputs);
    }
    const values = inputs.map((name) =>
      Object.hasOwn(variables, name) ? JSON.stringify(variables[name]) : '-',
    );
    const key = `${hash}\n${operationName ?? ''}\n${values.join('\n')}`;
    const known = this.kept.get(key);
    if (known !== undefined) return known;
    const cost = estimateCost(schema, document, operationName, variables);
    if (key.length - hash.length <= LONGEST_KEY_VALUES) {
      if (this.kept.size >= COSTS_KEPT) this.kept.clear();
      this.kept.set(key, cost);
    }
    return cost;
  }
}

/**
 * The variables an estimate of `document` reads (see `recordEstimator`): those
 * used in a `first` argument, and in a directive's arguments.
 */
function costInputs(document: DocumentNode): readonly string[] {
  const names = new Set<string>();
  let reading = 0;
  const readingWhile = { enter: () => void reading++, leave: () => void reading-- };
  visit(document, {
    Argument: {
      enter: (node) => {
        if (node.name.value === 'first') reading++;
      },
      leave: (node) => {
        if (node.name.value === 'first') reading--;
      },
    },
    Directive: readingWhile,
    Variable: (node) => {
      if (reading > 0) names.add(node.name.value);
    },
  });
  return [...names].sort();
}

/**
 * The estimated cost of an operation: the records it may read. Each object a
 * field returns counts 1 — a lookup, an entity joined from another department,
 * a row of a list — times the rows its list may hold: `first` (or its default)
 * for a paged list, {@link UNPAGED_LIST_SIZE} for a list without one; a page's
 * own wrapper and `pageInfo` count nothing. Scalars are free (tokens and aliases
 * bound them), except verifications, {@link VERIFICATION_COST} each.
 * Introspection is free. The walk is graphql-query-complexity's; variables are
 * applied (`first: $n`), and `@skip`/`@include` are honoured.
 *
 * Returns Infinity for an operation too large to walk.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null,
  variables: Record<string, unknown>,
): number {
  try {
    return getComplexity({
      schema,
      query: document,
      variables,
      ...(operationName ? { operationName } : {}),
      estimators: [recordEstimator],
      maxQueryNodes: MOST_NODES,
    });
  } catch (error) {
    if (error instanceof Error && /maximum allowed number of nodes/.test(error.message)) {
      return Infinity;
    }
    throw error;
  }
}

function recordEstimator({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  if (field.name.startsWith('__')) return 0;
  if (isLeafType(getNamedType(field.type))) {
    return isRootType(type) && field.name.startsWith('verify') ? VERIFICATION_COST : 0;
  }
  const first: unknown = args.first;
  if (typeof first === 'number') return 1 + Math.max(first, 1) * childComplexity;
  if (isConnection(type)) return field.name === 'nodes' ? 1 + childComplexity : childComplexity;
  const rows = isListType(getNullableType(field.type)) ? UNPAGED_LIST_SIZE : 1;
  return rows * (1 + childComplexity);
}

function isRootType(type: GraphQLCompositeType): boolean {
  return type.name === 'Query' || type.name === 'Mutation';
}

/** A page type of the kit's lists: `{ nodes: [T!]!, pageInfo: PageInfo! }`. */
function isConnection(type: GraphQLCompositeType): boolean {
  return isObjectType(type) && type.name.endsWith('Connection') && 'pageInfo' in type.getFields();
}
