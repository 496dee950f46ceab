import { isIPv4 } from 'node:net';
import type { Knex } from 'knex';
import type { Catalogue } from '../../schema/index.ts';
import { PLATFORM_SUBGRAPH, PLATFORM_TYPE_DEFS } from '../../subgraphs/platform/index.ts';
import {
  CROSS_LEVEL_SUBGRAPH,
  crossLevelEntityTypes,
  crossLevelTypeDefs,
} from '../../subgraphs/platform/links/index.ts';
import {
  compositionKey,
  composeShared,
  servedSubgraphs,
  type RegistryTrust,
} from '../../subgraphs/platform/registry/index.ts';

/**
 * Starts composing the supergraph the platform is about to register, before
 * its subgraphs serve: at a province's size composition takes most of a
 * minute in a worker thread, while preparing the departments' databases and
 * starting a hundred servers goes on on the platform's own thread, which
 * used to wait for the one before starting the other. The set is what the
 * registry will hold once the platform registers what it serves — the
 * registry's other subgraphs as they are, and the platform's own with the SDL
 * they are built with at the addresses they will listen on — and the
 * supergraph is stored like any other (`composeShared`), so the registry's
 * composition at start reads it back instead of composing. A guess that turns
 * out wrong (a catalogue published meanwhile) costs the worker's time and
 * nothing else: the registry's set is composed as before.
 *
 * `composed` settles with the set's key (`compositionKey`) once it is composed
 * and stored, or null if it could not be (and says why); never rejects.
 * `merged` settles first, with the merged supergraph while its satisfiability
 * is still being checked (for the gateway to take up meanwhile), or with null
 * if there was none (the set's supergraph was stored already, or could not be
 * merged). Addresses are known ahead only on fixed ports of an IPv4 address (as
 * `listen` shows it); with ports chosen at start, or a host name, there is
 * nothing to compose ahead: null.
 */
export function composeAhead(
  db: Knex,
  trust: RegistryTrust,
  plan: {
    catalogue: Catalogue;
    /** Each department's subgraph as it will be served, in port order (only its name and SDL are read). */
    departments: readonly { name: string; typeDefs: string }[];
    host: string;
    /** The first department's port; the platform subgraph's and the cross-level subgraph's follow. */
    portBase: number;
    log: (message: string) => void;
  },
): AheadComposition | null {
  const { catalogue, departments, host, portBase } = plan;
  if (!isIPv4(host) || portBase <= 0) return null;
  const url = (offset: number) => `http://${host}:${portBase + offset}/graphql`;
  const own = [
    ...departments.map(({ name, typeDefs }, i) => ({ name, url: url(i), typeDefs })),
    { name: PLATFORM_SUBGRAPH, url: url(departments.length), typeDefs: PLATFORM_TYPE_DEFS },
    {
      name: CROSS_LEVEL_SUBGRAPH,
      url: url(departments.length + 1),
      typeDefs: crossLevelTypeDefs(crossLevelEntityTypes(catalogue)),
    },
  ];
  let onMerged: (supergraphSdl: string | null) => void = () => {};
  const merged = new Promise<string | null>((resolve) => (onMerged = resolve));
  const composed = (async () => {
    const { subgraphs } = await servedSubgraphs(db, trust);
    const others = subgraphs.filter((s) => !own.some((o) => o.name === s.name));
    const set = [...own, ...others];
    await composeShared(db, set, { compositions: trust.compositions, onMerged });
    return compositionKey(set);
  })()
    .catch((error: unknown) => {
      plan.log(`the supergraph was not composed ahead: ${String(error)}`);
      return null;
    })
    .finally(() => onMerged(null));
  return { merged, composed };
}

/** A composition started ahead (`composeAhead`). */
export interface AheadComposition {
  /** The merged supergraph, before its satisfiability is checked; null if none was merged here. */
  merged: Promise<string | null>;
  /** The key of the set composed and stored, or null. */
  composed: Promise<string | null>;
}
