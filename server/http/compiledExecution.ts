import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  BREAK,
  execute,
  GraphQLError,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * A document's operations as compiled: each by name ('' for the only one), the
 * errors that refused it, or INTERPRETED for one graphql-jit would answer
 * differently.
 */
type Compiled = Map<string, CompiledQuery | ExecutionResult | typeof INTERPRETED>;

const INTERPRETED = Symbol('interpreted');

/** Operations kept per document (a client may send a document of many, naming one each time). */
const MOST_OPERATIONS_PER_DOCUMENT = 16;

/**
 * Apollo Server's gateway interface over one fixed schema whose executor runs
 * each operation through code graphql-jit compiled for it once: the resolvers
 * (and so the sharing rules, which wrap them) are called as graphql-js calls
 * them, field by field, but selection sets, arguments, abstract types and
 * nulls are walked by code written for that one operation instead of being
 * read from the document again on every request. Apollo Server still parses
 * and validates (both cached per text), runs every plugin hook and formats
 * the errors; only `execute` is replaced.
 *
 * A document is compiled on its first request and kept for as long as Apollo's
 * document store keeps the parsed document (a WeakMap on it): a subgraph
 * answers only the gateway's planned fetches, a small and stable set.
 */
export function compiledSchemaGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Compiled>();
  const executor: GatewayExecutor = async (requestContext) => {
    const { document, request } = requestContext;
    const name = requestContext.operationName ?? request.operationName ?? '';
    let operations = compiled.get(document);
    if (!operations) compiled.set(document, (operations = new Map() as Compiled));
    let operation = operations.get(name);
    if (operation === undefined) {
      operation = answeredApart(document)
        ? INTERPRETED
        : compileQuery(schema, document, name || undefined, COMPILER_OPTIONS);
      if (operations.size < MOST_OPERATIONS_PER_DOCUMENT) operations.set(name, operation);
    }
    const interpret = () =>
      execute({
        schema,
        document,
        contextValue: requestContext.context,
        variableValues: request.variables ?? {},
        ...(name ? { operationName: name } : {}),
      });
    if (operation === INTERPRETED || !isCompiledQuery(operation)) return interpret();
    const result = await operation.query(
      undefined,
      requestContext.context,
      request.variables ?? {},
    );
    // No data at all: the variables were refused before any resolver ran. graphql-js says why
    // in its own words, which Apollo Server knows as the client's mistake (400 BAD_USER_INPUT).
    if (!('data' in result)) return interpret();
    // As graphql-js answers: errors first, each a GraphQLError of the `graphql` package.
    return result.errors
      ? { errors: result.errors.map(asGraphQLError), data: result.data }
      : { data: result.data };
  };
  return {
    load: () => Promise.resolve({ executor }),
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    stop: () => Promise.resolve(),
  };
}

/**
 * Whether graphql-jit would answer `document` otherwise than graphql-js, so it
 * is left to graphql-js:
 * - a field answers under the name `__proto__` (an alias: GraphQL allows it).
 *   graphql-jit builds each result object as a JavaScript object literal,
 *   where that name sets the object's prototype instead of adding a field, so
 *   the field would vanish from the answer;
 * - `@skip` or `@include` anywhere: graphql-jit decides them as it runs, after
 *   laying out the fields, so a field named first in a skipped fragment comes
 *   first in the answer, where graphql-js (and the specification) puts fields
 *   in the order of the selections that are not skipped.
 * Neither is in the platform's own fetches on the hot path.
 */
function answeredApart(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if ((node.alias ?? node.name).value !== '__proto__') return undefined;
      found = true;
      return BREAK;
    },
    Directive(node) {
      if (node.name.value !== 'skip' && node.name.value !== 'include') return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

const COMPILER_OPTIONS = {
  // Apollo Server serializes the response (and formats its errors) as it does for graphql-js.
  customJSONSerializer: false,
  // An error's stack is never sent; a resolver's own error keeps its stack for the log.
  disablingCapturingStackErrors: true,
};

/**
 * graphql-jit's error as graphql-js would have made it (`locatedError`): a
 * GraphQLError of the `graphql` package, with the path and locations, and the
 * resolver's own error as `originalError`. Apollo Server treats an error of
 * another class as an unexpected one and keeps neither its path nor its code.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  // graphql-jit's errors inherit from GraphQLError without its constructor (no `extensions` object).
  if (Object.getPrototypeOf(error) === GraphQLError.prototype) return error;
  const { message, path, locations, extensions, originalError } = error;
  const located = new GraphQLError(message, {
    ...(path ? { path } : {}),
    ...(originalError ? { originalError } : {}),
    ...(extensions ? { extensions } : {}),
  });
  if (locations) (located as { locations: typeof locations }).locations = locations;
  return located;
}
