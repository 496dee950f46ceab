import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';

/**
 * An Apollo Server for a subgraph schema, started: no landing page, no tracing,
 * no cache hints (nothing that wraps every field), no stack traces to clients,
 * and no signal handlers of its own — the platform stops its servers in order.
 */
export async function startApolloServer<TContext extends BaseContext>(
  schema: GraphQLSchema,
  plugins: ApolloServerPlugin<TContext>[] = [],
): Promise<ApolloServer<TContext>> {
  const apollo = new ApolloServer<TContext>({
    schema,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...plugins,
    ],
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  return apollo;
}
