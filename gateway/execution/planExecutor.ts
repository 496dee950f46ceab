import { createHash } from 'node:crypto';
import {
  executeSync,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { ApolloGateway } from '@apollo/gateway';
import { buildOperationContext, executeQueryPlan, type GraphQLDataSource } from '@apollo/gateway';
import type { PlanNode, QueryPlan, QueryPlanner } from '@apollo/query-planner';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import { compileResponseShape, type ResponseShape } from './compileResponseShape.ts';
import { runPlanNode, type ServiceMap } from './runQueryPlan.ts';

/** Which executor runs query plans: Apollo Gateway's own, or ours (`GATEWAY_EXECUTOR`). */
export type ExecutorKind = 'apollo' | 'govdata';

type OperationContext = ReturnType<typeof buildOperationContext>;

/**
 * What of Apollo Gateway's planning this executor uses. They are private in
 * the library's types, so they are checked at start: an upgrade that renames
 * one fails the gateway's start, never a request.
 */
interface PlanningParts {
  schema: GraphQLSchema;
  apiSchema: Schema;
  supergraphSchema: GraphQLSchema;
  queryPlanner: QueryPlanner;
  queryPlanStore: {
    get(key: string): Promise<QueryPlan | undefined>;
    set(key: string, plan: QueryPlan): Promise<void>;
  };
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
  validateIncomingRequest(
    requestContext: GatewayGraphQLRequestContext,
    operationContext: OperationContext,
  ): GraphQLError[];
  experimental_didResolveQueryPlan?: (options: {
    queryPlan: QueryPlan;
    serviceMap: ServiceMap;
    requestContext: GatewayGraphQLRequestContext;
    operationContext: OperationContext;
  }) => void;
  config: { telemetry?: Parameters<typeof executeQueryPlan>[6] };
}

/** A plan and what was compiled from it once: the response shape, the variable defaults. */
interface CompiledPlan {
  shape: ResponseShape;
  defaults: Record<string, unknown>;
  /** False for plans with nodes this executor leaves to Apollo's (@defer, data rewrites). */
  ours: boolean;
}

/**
 * Makes `gateway` execute query plans with our executor: Apollo Gateway still
 * loads the supergraph, plans each operation and caches its plans (keyed as it
 * keys them), and still calls `experimental_didResolveQueryPlan`; what runs a
 * plan is `runPlanNode`, and what shapes the answer is compiled once per plan
 * (`compileResponseShape`) instead of Apollo's `computeResponse`, which
 * re-reads the whole operation on every request. Plans with `@defer` or data
 * rewrites (interface objects, `@context`), which our supergraph has none of,
 * are left to Apollo's executor.
 */
export function installPlanExecutor(gateway: ApolloGateway): void {
  const parts = gateway as unknown as PlanningParts;
  const compiled = new WeakMap<QueryPlan, CompiledPlan>();
  // Checked when the first supergraph has loaded (before then there is nothing to plan with).
  let checked = false;

  gateway.executor = async (requestContext) => {
    if (!checked) {
      assertPlanningParts(parts);
      checked = true;
    }
    const { request, document, queryHash } = requestContext;
    const key = request.operationName
      ? createHash('sha256').update(queryHash).update(request.operationName).digest('hex')
      : queryHash;
    const operationContext = buildOperationContext({
      schema: parts.schema,
      operationDocument: document,
      operationName: request.operationName,
    });
    const validationErrors = parts.validateIncomingRequest(requestContext, operationContext);
    if (validationErrors.length > 0) return { errors: validationErrors };
    let queryPlan = await parts.queryPlanStore.get(key);
    if (!queryPlan) {
      const operation = operationFromDocument(parts.apiSchema, document, {
        operationName: request.operationName,
      });
      queryPlan = parts.queryPlanner.buildQueryPlan(operation, {
        recursiveSelectionsLimitDisabled: parts.recursiveSelectionsLimitDisabled,
        nonLocalSelectionsLimitDisabled: parts.nonLocalSelectionsLimitDisabled,
      });
      await parts.queryPlanStore.set(key, queryPlan).catch(() => undefined);
    }
    const services: ServiceMap = Object.fromEntries(
      Object.entries(parts.serviceMap).map(([name, { dataSource }]) => [name, dataSource]),
    );
    parts.experimental_didResolveQueryPlan?.({
      queryPlan,
      serviceMap: services,
      requestContext,
      operationContext,
    });
    let plan = compiled.get(queryPlan);
    if (!plan) {
      plan = compilePlan(parts.schema, queryPlan, operationContext);
      compiled.set(queryPlan, plan);
    }
    if (!plan.ours) {
      return executeQueryPlan(
        queryPlan,
        services,
        requestContext,
        operationContext,
        parts.supergraphSchema,
        parts.apiSchema,
        parts.config.telemetry,
      );
    }
    return execute(requestContext, queryPlan, plan, services, parts.schema);
  };
}

async function execute(
  requestContext: GatewayGraphQLRequestContext,
  queryPlan: QueryPlan,
  plan: CompiledPlan,
  services: ServiceMap,
  schema: GraphQLSchema,
): Promise<GatewayExecutionResult> {
  const errors: GraphQLError[] = [];
  const merged = Object.create(null) as Record<string, unknown>;
  if (queryPlan.node) {
    await runPlanNode(
      { requestContext, services, schema, defaults: plan.defaults, errors },
      queryPlan.node as PlanNode,
      merged,
    );
  }
  let shaped;
  try {
    shaped = plan.shape(merged, requestContext.request.variables);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    return {
      errors: [
        new GraphQLError((error as Error).message, {
          originalError: error instanceof Error ? error : undefined,
        }),
      ],
    };
  }
  if (errors.length === 0 && shaped.errors.length > 0) {
    return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
  }
  return errors.length === 0 ? { data: shaped.data } : { errors, data: shaped.data };
}

function compilePlan(
  schema: GraphQLSchema,
  queryPlan: QueryPlan,
  operationContext: OperationContext,
): CompiledPlan {
  const { operation, fragments } = operationContext;
  const shape = compileResponseShape(schema, operation, fragments, (field, variables) =>
    introspect(schema, operationContext, field, variables),
  );
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const value = definition.defaultValue;
    if (value?.kind === Kind.BOOLEAN) defaults[definition.variable.name.value] = value.value;
  }
  return { shape, defaults, ours: supported(queryPlan.node) };
}

/** Whether every node of a plan is one `runPlanNode` runs exactly as Apollo's executor would. */
function supported(node: QueryPlan['node']): boolean {
  if (!node) return true;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.every(supported);
    case 'Flatten':
      return supported(node.node);
    case 'Condition':
      return supported(node.ifClause) && supported(node.elseClause);
    case 'Fetch':
      return (
        !node.inputRewrites?.length && !node.outputRewrites?.length && !node.contextRewrites?.length
      );
    case 'Defer':
    case 'Subscription':
      return false;
  }
}

/** Answers `__schema` / `__type` from the API schema, as Apollo's executor does. */
function introspect(
  schema: GraphQLSchema,
  { operation, fragments }: OperationContext,
  field: FieldNode,
  variables: Record<string, unknown> | undefined,
): unknown {
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: operation.operation,
    variableDefinitions: operation.variableDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections: [field] },
  };
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [query, ...Object.values(fragments)],
  };
  const { data, errors } = executeSync({
    schema,
    document,
    rootValue: {},
    variableValues: variables,
  });
  if (errors?.length || !data) throw errors?.[0] ?? new Error('introspection failed');
  return data[field.alias?.value ?? field.name.value];
}

function assertPlanningParts(parts: PlanningParts): void {
  const missing = (
    ['schema', 'apiSchema', 'queryPlanner', 'queryPlanStore', 'serviceMap'] as const
  ).filter((name) => !parts[name]);
  // Made when first read (patches/@apollo+gateway+*.patch), and read only for Apollo's executor.
  if (!('supergraphSchema' in parts)) missing.push('supergraphSchema' as never);
  if (typeof parts.validateIncomingRequest !== 'function')
    missing.push('validateIncomingRequest' as never);
  if (missing.length > 0) {
    throw new Error(
      `@apollo/gateway no longer has ${missing.join(', ')}: set GATEWAY_EXECUTOR=apollo until the plan executor is updated`,
    );
  }
}
