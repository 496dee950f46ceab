import { composeServices, validateSatisfiability } from '@apollo/composition';
import { type GraphQLError, parse, Source } from 'graphql';

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

/**
 * Composes the subgraphs into a supergraph SDL with `@apollo/composition`, in
 * its two steps: merging the subgraphs, then checking that every query of the
 * merged API can be planned over them (satisfiability, most of composition's
 * time at a province's size). `onMerged` gets the supergraph SDL between the
 * two: if the check passes, it is the SDL returned, so a caller may start
 * taking it up (a gateway's query planner, say) while the check runs, and use
 * it only once this returns.
 */
export function composeSupergraph(
  subgraphs: readonly SubgraphDefinition[],
  onMerged?: (supergraphSdl: string) => void,
): string {
  const merged = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: parse(new Source(s.typeDefs, s.name)),
    })),
    { runSatisfiability: false },
  );
  if (merged.errors) throw compositionError(merged.errors);
  onMerged?.(merged.supergraphSdl);
  const satisfiable = validateSatisfiability({ supergraphSchema: merged.schema });
  if (satisfiable.errors) throw compositionError(satisfiable.errors);
  return merged.supergraphSdl;
}

/** The errors of a composition, each with where it is in the subgraphs' SDL. */
function compositionError(errors: readonly GraphQLError[]): CompositionError {
  return new CompositionError(
    errors.map((e) => {
      const where = e.nodes
        ?.map((n) => n.loc && `${n.loc.source.name}:${n.loc.startToken.line}`)
        .filter(Boolean)
        .join(', ');
      return where ? `${e.message} (at ${where})` : e.message;
    }),
  );
}
