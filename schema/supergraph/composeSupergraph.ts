import { composeServices } from '@apollo/composition';
import { parse, Source } from 'graphql';

/** A subgraph as composition sees it. */
export interface SubgraphDefinition {
  name: string;
  url: string;
  typeDefs: string;
}

/** Thrown when the subgraphs do not compose; the message lists every error with where it is. */
export class CompositionError extends Error {
  override name = 'CompositionError';
  constructor(readonly errors: readonly string[]) {
    super(`The subgraphs do not compose:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  }
}

/** Composes the subgraphs into a supergraph SDL with `@apollo/composition`. */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): string {
  const result = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: parse(new Source(s.typeDefs, s.name)),
    })),
  );
  if (result.errors) {
    throw new CompositionError(
      result.errors.map((e) => {
        const where = e.nodes
          ?.map((n) => n.loc && `${n.loc.source.name}:${n.loc.startToken.line}`)
          .filter(Boolean)
          .join(', ');
        return where ? `${e.message} (at ${where})` : e.message;
      }),
    );
  }
  return result.supergraphSdl;
}
