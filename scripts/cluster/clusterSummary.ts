import { join, relative } from 'node:path';
import type { RunningCluster } from './startCluster.ts';

/** What `npm run cluster` prints once everything is up: where each part is, and how to use it. */
export function clusterSummary(cluster: RunningCluster, dir: string): string {
  const shown = relative(process.cwd(), dir) || '.';
  const { urls, ports } = cluster;
  const nodes = cluster.nodes.map((n) => `127.0.0.1:${n.ports.sql}`).join(', ');
  return [
    '',
    'The cluster is up:',
    `  GraphQL endpoint    ${urls.graphql}   (HAProxy → gateways on ${ports.gatewayReplicas.join(', ')})`,
    `  subgraph endpoint   ${urls.subgraph}   (HAProxy → replicas on ${ports.subgraphReplicas.join(', ')}; gateways only)`,
    `  MySQL endpoint      ${urls.mysql}   (HAProxy → Galera nodes ${nodes})`,
    `  password            ${relative(process.cwd(), urls.passwordFile)}`,
    `  HAProxy statistics  ${urls.stats}`,
    `  logs                ${join(shown, 'logs')}/`,
    '',
    'A token for it:',
    `  DATA_DIR=${join(shown, 'platform')} npm run token -- --department civil_affairs --user alice`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}
