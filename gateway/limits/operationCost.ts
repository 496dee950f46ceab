import {
  getNamedType,
  Kind,
  parse,
  valueFromASTUntyped,
  visit,
  getNullableType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  isWrappingType,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type GraphQLType,
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
  private inputsOf = new WeakMap<DocumentNode, readonly string[]>();
  private declared: CostDeclarations = NO_DECLARATIONS;
  /** The arguments some declared field slices its list by (read by `costInputs`). */
  private slicing: ReadonlySet<string> = new Set();

  /**
   * Takes up what the fields of the supergraph being served declare they cost
   * (see `declaredCosts`); estimates kept until now are dropped.
   */
  declare(supergraphSdl: string): void {
    this.declared = declaredCosts(supergraphSdl);
    this.slicing = slicingNames(this.declared);
    this.kept.clear();
    this.inputsOf = new WeakMap();
  }

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
      inputs = costInputs(document, this.slicing);
      this.inputsOf.set(document, inputs);
    }
    const values = inputs.map((name) =>
      Object.hasOwn(variables, name) ? JSON.stringify(variables[name]) : '-',
    );
    const key = `${hash}\n${operationName ?? ''}\n${values.join('\n')}`;
    const known = this.kept.get(key);
    if (known !== undefined) return known;
    const cost = estimateCost(schema, document, operationName, variables, this.declared);
    if (key.length - hash.length <= LONGEST_KEY_VALUES) {
      if (this.kept.size >= COSTS_KEPT) this.kept.clear();
      this.kept.set(key, cost);
    }
    return cost;
  }
}

/**
 * The variables an estimate of `document` reads (see `recordEstimator`): those
 * used in a `first` argument or another argument some field slices its list by
 * (`slicing`), and in a directive's arguments.
 */
function costInputs(document: DocumentNode, slicing: ReadonlySet<string>): readonly string[] {
  const names = new Set<string>();
  let reading = 0;
  const readingWhile = { enter: () => void reading++, leave: () => void reading-- };
  const sizes = (name: string) => name === 'first' || slicing.has(name);
  visit(document, {
    Argument: {
      enter: (node) => {
        if (sizes(node.name.value)) reading++;
      },
      leave: (node) => {
        if (sizes(node.name.value)) reading--;
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
 * bound them), except verifications, {@link VERIFICATION_COST} each. A field's
 * declared cost (`declared`, see {@link declaredCosts}) comes first: its
 * `@listSize` bounds its rows (by its slicing argument when given, else its
 * assumed size) and its `@cost` weight is added, scalar or not.
 * Introspection counts the same way, each object it returns 1 (see
 * `introspectionSizes`): it reads no database but answers in one synchronous
 * piece of work, so twenty `__schema` in one document would hold the process
 * for seconds. The walk is graphql-query-complexity's; variables are
 * applied (`first: $n`), and `@skip`/`@include` are honoured.
 *
 * Returns Infinity for an operation too large to walk.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null,
  variables: Record<string, unknown>,
  declared: CostDeclarations = NO_DECLARATIONS,
): number {
  try {
    return Math.ceil(
      getComplexity({
        schema,
        query: document,
        variables,
        ...(operationName ? { operationName } : {}),
        estimators: [estimatorFor(schema, declared)],
        maxQueryNodes: MOST_NODES,
      }),
    );
  } catch (error) {
    if (error instanceof Error && /maximum allowed number of nodes/.test(error.message)) {
      return Infinity;
    }
    throw error;
  }
}

/**
 * What a field declares it costs, in the cost spec's terms (Apollo Federation
 * 2.9's `@cost` and `@listSize`): `weight`, records it reads beyond the
 * objects it returns (a CSV of audit records, an aggregate over the audit
 * trail); `assumedSize`, the most rows its list holds; `slicingArguments`,
 * the arguments that bound it instead when given (`limit`).
 */
export interface DeclaredCost {
  weight?: number;
  assumedSize?: number;
  slicingArguments?: readonly string[];
}

/** Declared costs by `Type.field`. */
export type CostDeclarations = ReadonlyMap<string, DeclaredCost>;

const NO_DECLARATIONS: CostDeclarations = new Map();

/**
 * The `@cost` and `@listSize` of a supergraph's fields, as its subgraphs
 * declared them (the subgraph knows what a resolver reads; the gateway only
 * sees a `String`). Read from the supergraph's text: the API schema Apollo
 * Gateway serves has dropped them.
 */
export function declaredCosts(supergraphSdl: string): CostDeclarations {
  const declared = new Map<string, DeclaredCost>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const cost: DeclaredCost = {};
      for (const directive of field.directives ?? []) {
        const args = Object.fromEntries(
          (directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]),
        ) as Record<string, unknown>;
        if (directive.name.value === 'cost' && isCount(args.weight)) cost.weight = args.weight;
        if (directive.name.value === 'listSize') {
          if (isCount(args.assumedSize)) cost.assumedSize = args.assumedSize;
          if (Array.isArray(args.slicingArguments)) {
            cost.slicingArguments = args.slicingArguments.filter(
              (a): a is string => typeof a === 'string',
            );
          }
        }
      }
      if (Object.keys(cost).length > 0) {
        declared.set(`${definition.name.value}.${field.name.value}`, cost);
      }
    }
  }
  return declared;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Every argument some field slices its list by. */
function slicingNames(declared: CostDeclarations): ReadonlySet<string> {
  return new Set([...declared.values()].flatMap((d) => d.slicingArguments ?? []));
}

type Estimator = (args: ComplexityEstimatorArgs) => number;

const estimators = new WeakMap<CostDeclarations, WeakMap<GraphQLSchema, Estimator>>();

function estimatorFor(schema: GraphQLSchema, declared: CostDeclarations): Estimator {
  let bySchema = estimators.get(declared);
  if (!bySchema) {
    bySchema = new WeakMap();
    estimators.set(declared, bySchema);
  }
  let estimator = bySchema.get(schema);
  if (!estimator) {
    estimator = recordEstimator(introspectionSizes(schema), declared);
    bySchema.set(schema, estimator);
  }
  return estimator;
}

function recordEstimator(sizes: IntrospectionSizes, declared: CostDeclarations): Estimator {
  return ({ type, field, args, childComplexity }) => {
    const own = declared.get(`${type.name}.${field.name}`);
    const weight = own?.weight ?? 0;
    if (isLeafType(getNamedType(field.type))) {
      const verification = isRootType(type) && field.name.startsWith('verify');
      return weight + (verification ? VERIFICATION_COST : 0);
    }
    if (field.name === '__type') return 1 + sizes.largestTypeRatio * childComplexity;
    const introspected = sizes.lists.get(`${type.name}.${field.name}`);
    if (introspected !== undefined) return introspected * (1 + childComplexity);
    if (own?.assumedSize !== undefined || own?.slicingArguments) {
      const sliced = own.slicingArguments
        ?.map((name): unknown => (args as Record<string, unknown>)[name])
        .find(isCount);
      const rows = sliced ?? own.assumedSize ?? UNPAGED_LIST_SIZE;
      return weight + Math.max(rows, 1) * (1 + childComplexity);
    }
    const first: unknown = args.first;
    if (typeof first === 'number') return weight + 1 + Math.max(first, 1) * childComplexity;
    if (isConnection(type)) return field.name === 'nodes' ? 1 + childComplexity : childComplexity;
    const rows = isListType(getNullableType(field.type)) ? UNPAGED_LIST_SIZE : 1;
    return weight + rows * (1 + childComplexity);
  };
}

interface IntrospectionSizes {
  /** Items in each list of the introspection types (`__Type.fields`), on average per parent. */
  lists: ReadonlyMap<string, number>;
  /** How many times the average type's lists the largest type's hold: `__type(name:)` may name it. */
  largestTypeRatio: number;
}

/**
 * The sizes of the lists introspection answers from `schema`, on average per
 * parent: the types, each type's fields, each field's arguments, and so on.
 * Multiplied down a selection (`__schema { types { fields { args } } } }`),
 * averages give the exact number of objects returned, since the types' field
 * counts sum to the fields, and so on; `ofType` chains are estimated from the
 * schema's mean wrapping; a `__type` query names one type, so it is counted
 * as if it were the largest.
 */
export function introspectionSizes(schema: GraphQLSchema): IntrospectionSizes {
  const types = Object.values(schema.getTypeMap());
  const directives = schema.getDirectives();
  const lists = { fields: 0, args: 0, inputFields: 0, enumValues: 0, interfaces: 0, possible: 0 };
  // Type references (of fields, arguments, input fields) and the wrappers in them ([T!]! has 3).
  const references = { count: 0, wrappers: 0 };
  const refer = (type: GraphQLType) => {
    references.count++;
    for (let t = type; isWrappingType(t); t = t.ofType) references.wrappers++;
  };
  const weights: number[] = [];
  for (const type of types) {
    let weight = 0;
    if (isObjectType(type) || isInterfaceType(type)) {
      const fields = Object.values(type.getFields());
      const args = fields.reduce((n, f) => n + f.args.length, 0);
      lists.fields += fields.length;
      lists.args += args;
      lists.interfaces += type.getInterfaces().length;
      weight += fields.length + args + type.getInterfaces().length;
      for (const field of fields) {
        refer(field.type);
        for (const arg of field.args) refer(arg.type);
      }
    }
    if (isAbstractType(type)) {
      const possible = schema.getPossibleTypes(type).length;
      lists.possible += possible;
      weight += possible;
    }
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      lists.inputFields += fields.length;
      weight += fields.length;
      for (const field of fields) refer(field.type);
    }
    if (isEnumType(type)) {
      lists.enumValues += type.getValues().length;
      weight += type.getValues().length;
    }
    weights.push(weight);
  }
  const perType = (n: number) => n / Math.max(1, types.length);
  const averageWeight = perType(weights.reduce((a, b) => a + b, 0));
  // `ofType` followed k levels deep is an object for references wrapped at least k times: as if
  // each level were one with probability p, with p such that the levels sum to the mean wrapping.
  const wrapping = references.wrappers / Math.max(1, references.count);
  return {
    lists: new Map([
      ['__Schema.types', types.length],
      ['__Schema.directives', directives.length],
      ['__Type.fields', perType(lists.fields)],
      ['__Type.interfaces', perType(lists.interfaces)],
      ['__Type.possibleTypes', perType(lists.possible)],
      ['__Type.inputFields', perType(lists.inputFields)],
      ['__Type.enumValues', perType(lists.enumValues)],
      ['__Type.ofType', wrapping / (1 + wrapping)],
      ['__Field.args', lists.args / Math.max(1, lists.fields)],
      [
        '__Directive.args',
        directives.reduce((n, d) => n + d.args.length, 0) / Math.max(1, directives.length),
      ],
    ]),
    largestTypeRatio: Math.max(1, Math.max(0, ...weights) / Math.max(1, averageWeight)),
  };
}

function isRootType(type: GraphQLCompositeType): boolean {
  return type.name === 'Query' || type.name === 'Mutation';
}

/** A page type of the kit's lists: `{ nodes: [T!]!, pageInfo: PageInfo! }`. */
function isConnection(type: GraphQLCompositeType): boolean {
  return isObjectType(type) && type.name.endsWith('Connection') && 'pageInfo' in type.getFields();
}
