import { freePortRange, freePorts, portIsFree } from '../platform/portsAhead.ts';

/** The ports of one Galera node, all on 127.0.0.1. */
export interface GaleraNodePorts {
  /** SQL clients (HAProxy). */
  sql: number;
  /** Group communication between the nodes (gcomm). */
  gcomm: number;
  /** Incremental state transfer: the write sets a rejoining node missed. */
  ist: number;
  /** Snapshot state transfer: the rsync daemon a joining node receives a full copy on. */
  sst: number;
  /** The health check HAProxy asks (HTTP 200 while the node is Synced). */
  health: number;
}

/** Every port the cluster listens on; all on 127.0.0.1. */
export interface ClusterPorts {
  /** HAProxy: the gateways (the platform's one GraphQL endpoint). */
  gateway: number;
  /** HAProxy: the replicas of the replicated department's subgraph. */
  subgraph: number;
  /** HAProxy: the Galera nodes (MySQL protocol). */
  mysql: number;
  /** HAProxy's statistics page. */
  stats: number;
  gatewayReplicas: [number, number];
  subgraphReplicas: [number, number];
  platformSubgraph: number;
  /** The cross-level subgraph, which `govdata serve --platform` serves on the next port. */
  crossLevelSubgraph: number;
  /** One port per other department served (one process each), in the order given. */
  otherDepartments: number[];
  galera: [GaleraNodePorts, GaleraNodePorts, GaleraNodePorts];
}

/**
 * The ports from `base`: HAProxy's four first (so the endpoint is `base`),
 * then the processes behind it. A base of 0 takes free ports chosen ahead
 * (`portsAhead.ts`; tests do, so that runs never collide).
 */
export async function planPorts(base: number, otherDepartments: number): Promise<ClusterPorts> {
  const at = base === 0 ? await freePorts(28 + otherDepartments) : undefined;
  let next = 0;
  const port = (offset: number) => (at ? at[next++]! : base + offset);
  // The platform subgraph's port and the next one, which serve --platform takes for the
  // cross-level subgraph (a department given that port found it taken).
  const platformSubgraph = at ? await freePortRange(2) : base + 30;
  const node = (i: number): GaleraNodePorts => ({
    sql: port(40 + i),
    gcomm: port(50 + i),
    ist: port(60 + i),
    sst: port(70 + i),
    health: port(80 + i),
  });
  return {
    gateway: port(0),
    subgraph: port(1),
    mysql: port(2),
    stats: port(3),
    gatewayReplicas: [port(10), port(11)],
    subgraphReplicas: [port(20), port(21)],
    platformSubgraph,
    crossLevelSubgraph: platformSubgraph + 1,
    otherDepartments: Array.from({ length: otherDepartments }, (_, i) => port(32 + i)),
    galera: [node(0), node(1), node(2)],
  };
}

/** Every port of `ports`, named, for checks and messages. */
export function listPorts(ports: ClusterPorts): { name: string; port: number }[] {
  return [
    { name: 'HAProxy gateway endpoint', port: ports.gateway },
    { name: 'HAProxy subgraph endpoint', port: ports.subgraph },
    { name: 'HAProxy MySQL endpoint', port: ports.mysql },
    { name: 'HAProxy statistics', port: ports.stats },
    ...ports.gatewayReplicas.map((port, i) => ({ name: `gateway-${i + 1}`, port })),
    ...ports.subgraphReplicas.map((port, i) => ({ name: `subgraph-${i + 1}`, port })),
    { name: 'platform subgraph', port: ports.platformSubgraph },
    { name: 'cross-level subgraph', port: ports.crossLevelSubgraph },
    ...ports.otherDepartments.map((port, i) => ({ name: `department ${i + 1}`, port })),
    ...ports.galera.flatMap((p, i) =>
      Object.entries(p).map(([kind, port]: [string, number]) => ({
        name: `galera-${i + 1} ${kind}`,
        port,
      })),
    ),
  ];
}

/** Throws, naming each, if any of the cluster's ports is taken. */
export async function assertPortsFree(ports: ClusterPorts): Promise<void> {
  const taken: string[] = [];
  for (const { name, port } of listPorts(ports)) {
    if (!(await portIsFree(port))) taken.push(`${port} (${name})`);
  }
  if (taken.length > 0) {
    throw new Error(
      `ports in use: ${taken.join(', ')}. Stop what holds them, or choose other ports with --base-port.`,
    );
  }
}
