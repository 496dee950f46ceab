/**
 * The benchmark's baseline: `@apollo/gateway` as its documentation sets it up
 * (Apollo Server's standalone server, the gateway's default data sources and
 * fetcher), with no authentication, rules or audit, over the ungoverned
 * subgraphs. Started by `npm run bench` with BENCH_SUPERGRAPH_FILE, PORT and
 * BENCH_WORKERS; its workers share the port through `node:cluster`, as ours do.
 * It runs compiled, as its users run it (`compileAsDeployed`): under tsx the
 * `new Error().stack` that agent-base reads on every subgraph request went
 * through source maps, 3.6% of a worker's time on the lookup.
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway } from '@apollo/gateway';
import { serveAsWorker, startWorkerPool, stopOnSignals } from '../platform/runWorkers.ts';
import { parseWorkerCount } from '../platform/workerCount.ts';

if (cluster.isWorker) {
  await serveAsWorker(async () => {
    const gateway = new ApolloGateway({
      supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH_FILE!, 'utf8'),
    });
    const server = new ApolloServer({ gateway });
    const { url } = await startStandaloneServer(server, {
      listen: { host: '127.0.0.1', port: Number(process.env.PORT) },
    });
    return { url, stop: () => server.stop() };
  });
} else {
  const pool = await startWorkerPool(parseWorkerCount(process.env.BENCH_WORKERS), (message) =>
    console.log(`[plain apollo] ${message}`),
  );
  stopOnSignals(() => pool.stop());
}
