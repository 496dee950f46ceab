import type { ClusterPorts } from './clusterPlan.ts';

/**
 * HAProxy's configuration for the cluster: three frontends on 127.0.0.1 and
 * the servers behind each, every one health-checked.
 *
 * - **MySQL** (TCP): the three Galera nodes, all written to (multi-primary,
 *   least connections). A node is in service while its health check answers
 *   200, which it does only while the node is Synced (or a donor) in the
 *   primary component (a joiner or a node cut off from the others answers 503); when a
 *   node is marked down, the sessions on it are closed, so clients reconnect
 *   to a node that is in service.
 * - **Gateways** and the **replicated subgraph** (HTTP): checked on `/health`
 *   (the process serves), not `/ready`: readiness includes the shared platform
 *   database, and a balancer that took every replica out of service whenever
 *   that database paused would refuse every request instead of letting them
 *   wait for it.
 *
 * A connection a killed server refused is sent to another server
 * (`retry-on conn-failure`, `option redispatch`): a request that never
 * reached a server is safe to send elsewhere. A request a server took and
 * then died under is not retried (it may have been a mutation).
 */
export function haproxyConfig(ports: ClusterPorts): string {
  // A server is taken out after two failed checks a second apart, and back after two good ones.
  const check = 'check inter 1s fall 2 rise 2';
  return [
    '# Written by `npm run cluster`; HAProxy reads no other configuration file.',
    'global',
    '  maxconn 4000',
    '',
    'defaults',
    '  timeout connect 2s',
    // A check not answered within this fails (a busy machine answers slower than the interval).
    '  timeout check 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  retries 3',
    '  option redispatch 1',
    '',
    'listen stats',
    '  mode http',
    `  bind 127.0.0.1:${ports.stats}`,
    '  stats enable',
    '  stats uri /',
    '  stats refresh 2s',
    '',
    'frontend gateway',
    '  mode http',
    `  bind 127.0.0.1:${ports.gateway}`,
    '  default_backend gateways',
    '',
    'backend gateways',
    '  mode http',
    '  balance roundrobin',
    '  option httpchk',
    '  http-check send meth GET uri /health',
    '  retry-on conn-failure',
    '  timeout server 30s',
    ...ports.gatewayReplicas.map(
      (port, i) => `  server gateway-${i + 1} 127.0.0.1:${port} ${check}`,
    ),
    '',
    'frontend subgraph',
    '  mode http',
    `  bind 127.0.0.1:${ports.subgraph}`,
    '  default_backend subgraphs',
    '',
    'backend subgraphs',
    '  mode http',
    '  balance roundrobin',
    '  option httpchk',
    '  http-check send meth GET uri /health',
    '  retry-on conn-failure',
    ...ports.subgraphReplicas.map(
      (port, i) => `  server subgraph-${i + 1} 127.0.0.1:${port} ${check}`,
    ),
    '',
    'frontend mysql',
    '  mode tcp',
    `  bind 127.0.0.1:${ports.mysql}`,
    // Pooled connections idle between requests; the pools close them sooner.
    '  timeout client 1h',
    '  default_backend galera',
    '',
    'backend galera',
    '  mode tcp',
    '  balance leastconn',
    '  timeout server 1h',
    '  option httpchk',
    '  http-check send meth GET uri /',
    '  default-server on-marked-down shutdown-sessions',
    ...ports.galera.map(
      (node, i) => `  server galera-${i + 1} 127.0.0.1:${node.sql} ${check} port ${node.health}`,
    ),
    '',
  ].join('\n');
}
