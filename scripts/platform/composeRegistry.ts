import type { Knex } from 'knex';
import { CompositionError } from '../../schema/index.ts';
import { composeInForce, type RegistryTrust } from '../../subgraphs/platform/registry/index.ts';

/**
 * Composes the subgraph versions in force, storing the supergraph for every
 * process that follows the registry (`composeInForce`): a gateway's primary
 * runs it before starting its workers, so they read one composition instead
 * of each composing the same. Subgraphs that do not compose are left to the
 * workers, which report it as they do at any time (they keep serving the last
 * good supergraph, or do not start without one), and so is an empty registry.
 */
export async function composeRegistry(
  platformDb: Knex,
  trust: RegistryTrust,
  log: (message: string) => void,
): Promise<void> {
  const began = performance.now();
  try {
    const { problems } = await composeInForce(platformDb, trust, log);
    for (const problem of problems) log(`registry: ${problem}`);
    log(
      `supergraph of the registry ready for the workers in ${Math.round(performance.now() - began)} ms`,
    );
  } catch (error) {
    if (!(error instanceof CompositionError)) throw error;
  }
}
