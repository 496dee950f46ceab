import {
  getNamedType,
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
