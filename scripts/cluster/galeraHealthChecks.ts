import { createServer, type Server } from 'node:http';
import type { Connection } from 'mysql2/promise';
import {
  readStatus,
  type DatabaseAccount,
  type GaleraNode,
  type GaleraStatus,
} from './GaleraNode.ts';

/**
 * The states in which a node serves: Synced, and donor to a node that rejoins
 * (`Donor/Desynced`). A rejoining node asks only for the write sets it missed
 * (IST), which a donor sends from its cache without pausing; only a full copy
 * (SST by rsync) pauses the donor's writes while the files are copied, which
 * statements then wait out (seconds here) rather than fail.
 */
const IN_SERVICE = new Set(['Synced', 'Donor/Desynced']);

/**
 * The health check HAProxy asks of each Galera node, as the usual
 * `clustercheck` does (with `available_when_donor`): an HTTP server per node
 * answering 200 while the node is Synced, or a donor, and ready in the primary
 * component, 503 otherwise (starting, joining, cut off from the others, or not
 * answering). A node accepting connections is not enough: a joiner or a node
 * without quorum accepts them and then refuses every statement. Each check keeps one
 * connection to its node, made again after a failure, so that a check costs
 * one status query, not a login.
 */
export async function startGaleraHealthChecks(
  nodes: readonly GaleraNode[],
  account: DatabaseAccount,
): Promise<{ stop(): Promise<void> }> {
  const servers: Server[] = [];
  const connections = new Map<GaleraNode, Connection>();
  const status = async (node: GaleraNode): Promise<GaleraStatus | null> => {
    try {
      let connection = connections.get(node);
      if (!connection) {
        connection = await node.connect(account, 1000);
        connection.on('error', () => connections.delete(node));
        connections.set(node, connection);
      }
      return await readStatus(connection, 1000);
    } catch {
      connections.get(node)?.destroy();
      connections.delete(node);
      return null;
    }
  };
  for (const node of nodes) {
    const server = createServer((_req, res) => {
      void status(node).then((current) => {
        const healthy =
          current !== null &&
          IN_SERVICE.has(current.state) &&
          current.ready &&
          current.clusterStatus === 'Primary';
        res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
        res.end(
          current
            ? `${node.name}: ${current.state}, ${current.clusterStatus}, cluster of ${current.clusterSize}\n`
            : `${node.name}: not answering\n`,
        );
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(node.ports.health, '127.0.0.1', () => resolve());
    });
    servers.push(server);
  }
  return {
    async stop() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
      for (const connection of connections.values()) connection.destroy();
      connections.clear();
    },
  };
}
