import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import { createLogger, hideInternalErrors, type Logger } from '../logging/index.ts';

export interface SubgraphApolloOptions<TContext extends BaseContext> {
  /** Where errors hidden from the gateway are logged whole (default: errors only, to stdout). */
  logger?: Logger;
  /** The platform's request id of a request, quoted in the log and in the error it answers with. */
  requestIdOf?: (context: TContext) => string | null;
  /** Validation rules beyond graphql's own: the subgraph's bounds on what reaches it. */
  validationRules?: ValidationRule[];
}

/**
 * An Apollo Server for a subgraph schema, started: no landing page, no tracing,
 * no cache hints (nothing that wraps every field), no stack traces to clients,
 * and no signal handlers of its own — the platform stops its servers in order.
 * An error not written for the client (SQL text, an address) is logged and
 * replaced before it leaves, so the gateway never receives one.
 */
export async function startApolloServer<TContext extends BaseContext>(
  schema: GraphQLSchema,
  plugins: ApolloServerPlugin<TContext>[] = [],
  options: SubgraphApolloOptions<TContext> = {},
): Promise<ApolloServer<TContext>> {
  const errors = hideInternalErrors<TContext>(
    options.logger ?? createLogger({ logLevel: 'error' }),
    options.requestIdOf ?? (() => null),
  );
  const apollo = new ApolloServer<TContext>({
    schema,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      errors.plugin,
      ...plugins,
    ],
    formatError: errors.formatError,
    validationRules: options.validationRules ?? [],
    includeStacktraceInErrorResponses: false,
    // The same in production (NODE_ENV) as in development: a subgraph answers nothing, its
    // schema included, without the gateway's token for that very request.
    introspection: true,
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  return apollo;
}
