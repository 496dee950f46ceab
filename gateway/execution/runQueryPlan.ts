import {
  GraphQLError,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type {
  FetchNode,
  PlanNode,
  QueryPlanSelectionNode,
  ResponsePath,
} from '@apollo/query-planner';
import type {
  GatewayGraphQLRequestContext,
  GatewayGraphQLResponse,
} from '@apollo/server-gateway-interface';
import { deepMerge } from './deepMerge.ts';

/** The data sources of the supergraph's subgraphs, by name. */
export type ServiceMap = Readonly<Record<string, GraphQLDataSource>>;

/** What one request's plan run needs and collects. */
export interface PlanRun {
  requestContext: GatewayGraphQLRequestContext;
  services: ServiceMap;
  /** The supergraph's API schema: what `... on T` in a fetch's `requires` is decided against. */
  schema: GraphQLSchema;
  /** The operation's variable defaults, for `Condition` nodes. */
  defaults: Readonly<Record<string, unknown>>;
  /** Subgraph errors and failed fetches, in the order they happened. */
  errors: GraphQLError[];
}

/** Where in the response a plan node works: the objects at `path` (`@` for each list element). */
interface Cursor {
  path: ResponsePath;
  data: unknown;
  root: Record<string, unknown>;
}

/** `incoming operation`: the data source signs and sends fetches of this kind only. */
const INCOMING_OPERATION = 'incoming operation' as unknown as Extract<
  GraphQLDataSourceProcessOptions,
  { incomingRequestContext: unknown }
>['kind'];

/**
 * Runs a query plan's nodes as Apollo Gateway's executor would — sequences in
 * order, parallel nodes at once, each fetch's answer merged into the objects
 * it was for — writing into `root`. Each fetch goes through the subgraph's data
 * source, so signing, header forwarding, fetch spans and the masked flag are
 * the same as under Apollo's executor. A failed fetch fails only its part: its
 * error is collected and the rest of the plan goes on.
 */
export async function runPlanNode(
  run: PlanRun,
  node: PlanNode,
  root: Record<string, unknown>,
): Promise<void> {
  await runNode(run, node, { path: [], data: root, root });
}

async function runNode(run: PlanRun, node: PlanNode, cursor: Cursor): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runNode(run, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runNode(run, child, cursor)));
      return;
    case 'Flatten': {
      const data = valuesAtPath(cursor.data, node.path);
      if (data === undefined || data === null) return;
      await runNode(run, node.node, {
        path: [...cursor.path, ...node.path],
        data,
        root: cursor.root,
      });
      return;
    }
    case 'Fetch':
      try {
        await runFetch(run, node, cursor);
      } catch (error) {
        run.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const branch = conditionHolds(run, node.condition) ? node.ifClause : node.elseClause;
      if (branch) await runNode(run, branch, cursor);
      return;
    }
    case 'Defer':
      // `supportedPlan` sends plans with @defer to Apollo's executor instead.
      throw new Error('@defer is not supported by the gateway');
  }
}

async function runFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const service = run.services[fetch.serviceName];
  if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities = Array.isArray(cursor.data)
    ? (cursor.data as (Record<string, unknown> | null | undefined)[]).filter(
        (e): e is Record<string, unknown> => e !== null && e !== undefined,
      )
    : [cursor.data as Record<string, unknown>];
  if (entities.length === 0) return;
  const variables = Object.create(null) as Record<string, unknown>;
  const provided = run.requestContext.request.variables;
  for (const name of fetch.variableUsages ?? []) {
    if (
      provided &&
      Object.prototype.hasOwnProperty.call(provided, name) &&
      provided[name] !== undefined
    ) {
      variables[name] = provided[name];
    }
  }
  if (!fetch.requires) {
    const received = await send(run, service, fetch, cursor, variables);
    for (const entity of entities) deepMerge(entity, received);
    return;
  }
  const representation = representationOf(fetch.requires);
  const representations: Record<string, unknown>[] = [];
  const entityOf: number[] = [];
  for (let i = 0; i < entities.length; i++) {
    const made = representation(run.schema, entities[i]!);
    if (made && made.__typename) {
      representations.push(made);
      entityOf.push(i);
    }
  }
  if (representations.length === 0) return;
  if ('representations' in variables)
    throw new Error(`Variables cannot contain key "representations"`);
  const received = await send(run, service, fetch, cursor, { ...variables, representations });
  if (!received) return;
  const answered = received._entities;
  if (!Array.isArray(answered))
    throw new Error(`Expected "data._entities" in response to be an array`);
  if (answered.length !== representations.length) {
    throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  }
  for (let i = 0; i < answered.length; i++) {
    const entity = answered[i] as Record<string, unknown> | null;
    const existing = entities[entityOf[i]!]!;
    if (entity && !entity.__typename) entity.__typename = existing.__typename;
    deepMerge(existing, entity);
  }
}

/** Sends one fetch through its data source; its errors are placed at their paths in the response. */
async function send(
  run: PlanRun,
  service: GraphQLDataSource,
  fetch: FetchNode,
  cursor: Cursor,
  variables: Record<string, unknown>,
): Promise<Record<string, unknown> | null | undefined> {
  const { requestContext } = run;
  const response: GatewayGraphQLResponse = await service.process({
    kind: INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: requestContext,
    context: requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  });
  if (response.errors) {
    const pathOf = errorPaths(fetch, cursor);
    for (const error of response.errors) {
      run.errors.push(downstreamError(error, fetch.serviceName, pathOf));
    }
  }
  return response.data;
}

/** Apollo's `flattenResultsAtPath`: the objects at `path`, lists flattened at each `@`. */
function valuesAtPath(value: unknown, path: ResponsePath, from = 0): unknown {
  if (from === path.length || value === undefined || value === null) return value;
  const step = path[from];
  if (step === '@') return (value as unknown[]).flatMap((e) => valuesAtPath(e, path, from + 1));
  if (typeof step !== 'string' || Array.isArray(value)) {
    throw new Error(`Unexpected value at path element ${String(step)}`);
  }
  const object = value as Record<string, unknown>;
  return valuesAtPath(
    Object.prototype.hasOwnProperty.call(object, step) ? object[step] : undefined,
    path,
    from + 1,
  );
}

/**
 * Where a subgraph's error belongs in the client's response: an entity
 * fetch's `_entities.N...` becomes the path of the Nth object under the
 * cursor (worked out only when an error comes, from that part of the response
 * alone); a root fetch's path is the cursor's plus its own.
 */
function errorPaths(
  fetch: FetchNode,
  cursor: Cursor,
): (path: readonly (string | number)[] | undefined) => (string | number)[] | undefined {
  let hydrated: (string | number)[][] | undefined;
  return (path) => {
    if (fetch.requires && typeof path?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        objectPaths([], cursor.path, 0, cursor.root, hydrated);
      }
      return [...(hydrated[path[1]] ?? []), ...path.slice(2)];
    }
    return path ? [...cursor.path, ...path] : undefined;
  };
}

/** Apollo's `generateHydratedPaths`: the concrete path of every object at `path`. */
function objectPaths(
  parent: (string | number)[],
  path: ResponsePath,
  from: number,
  data: unknown,
  result: (string | number)[][],
): void {
  if (data === null || data === undefined) return;
  const head = path[from];
  if (head === undefined) {
    result.push(parent.slice());
  } else if (head === '@' || Array.isArray(data)) {
    const next = head === '@' ? from + 1 : from;
    (data as unknown[]).forEach((value, i) => {
      parent.push(i);
      objectPaths(parent, path, next, value, result);
      parent.pop();
    });
  } else if (Object.prototype.hasOwnProperty.call(data, head)) {
    parent.push(head);
    objectPaths(parent, path, from + 1, (data as Record<string, unknown>)[head], result);
    parent.pop();
  }
}

/** Apollo's `downstreamServiceError`: the subgraph's error, its path made the client's, `serviceName` added. */
function downstreamError(
  original:
    | GraphQLError
    | {
        message: string;
        path?: readonly (string | number)[];
        extensions?: Record<string, unknown>;
      },
  serviceName: string,
  pathOf: (path: readonly (string | number)[] | undefined) => (string | number)[] | undefined,
): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = {
    originalError: original as Error,
    path: pathOf(original.path),
    extensions: { ...original.extensions, serviceName },
  };
  const known = errorCodeDef(original);
  if (!known && original.extensions?.code) return new GraphQLError(message, options);
  return (known ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

function conditionHolds(run: PlanRun, variable: string): boolean {
  const value: unknown = run.requestContext.request.variables?.[variable] ?? run.defaults[variable];
  if (typeof value !== 'boolean') {
    throw new Error(`Expected value for condition variable ${variable} to be a boolean`);
  }
  return value;
}

type Representation = (
  schema: GraphQLSchema,
  entity: Record<string, unknown>,
) => Record<string, unknown> | null;

/** One representation builder per `requires` (the planner's objects live as long as their plan). */
const representations = new WeakMap<readonly QueryPlanSelectionNode[], Representation>();

function representationOf(requires: readonly QueryPlanSelectionNode[]): Representation {
  let made = representations.get(requires);
  if (!made) {
    made = (schema, entity) => selectInto(schema, entity, requires);
    representations.set(requires, made);
  }
  return made;
}

/** Apollo's `executeSelectionSet`: the part of `source` a fetch's `requires` selects, or null. */
function selectInto(
  schema: GraphQLSchema,
  source: unknown,
  selections: readonly QueryPlanSelectionNode[],
): Record<string, unknown> | null {
  if (source === null) return null;
  const object = source as Record<string, unknown>;
  const result = Object.create(null) as Record<string, unknown>;
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = selection.alias ?? selection.name;
      const sub = selection.selections;
      if (!Object.prototype.hasOwnProperty.call(object, name) || object[name] === undefined) {
        return null;
      }
      const value = object[name];
      if (Array.isArray(value)) {
        result[name] = value.map((v: unknown) => (sub ? selectInto(schema, v, sub) : v));
      } else {
        result[name] = sub ? selectInto(schema, value, sub) : value;
      }
    } else if (selection.typeCondition && isOfType(schema, object, selection.typeCondition)) {
      deepMerge(result, selectInto(schema, object, selection.selections));
    }
  }
  return result;
}

/** Apollo's `isObjectOfType`: whether an object of the response is of (or under) a type. */
function isOfType(
  schema: GraphQLSchema,
  object: Record<string, unknown>,
  typeCondition: string,
): boolean {
  const typename = object.__typename;
  if (typeof typename !== 'string' || !typename) return false;
  if (typename === typeCondition) return true;
  const type = schema.getType(typename);
  const condition = schema.getType(typeCondition);
  if (!type || !condition || !isAbstractType(condition)) return false;
  return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type);
}
