/**
 * The synthetic province's platform in its own process, as `npm start` runs
 * it (started by `npm run bench -- --suite province`, not by hand): every
 * department's subgraph, the platform subgraph and the gateway, over the data
 * folder DATA_DIR the bench prepared, with the department folders listed in
 * BENCH_PROVINCE_DEPARTMENTS (JSON), the subgraphs on consecutive ports from
 * BENCH_PROVINCE_PORT_BASE (so that a restart finds their URLs unchanged, as
 * in production). Says `{ ready }` over IPC when the
 * gateway serves, with the milliseconds since this process started and what
 * `startPlatform` logged on the way (each step's time), answers
 * `'memory'` with its resident memory, and `'pin gateway'` by keeping its
 * gateway on the supergraph it serves from then on.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../../server/index.ts';
import { startPlatform } from '../../platform/index.ts';
import { stopOnSignals } from '../../platform/runWorkers.ts';

const departmentDirs = JSON.parse(process.env.BENCH_PROVINCE_DEPARTMENTS ?? '[]') as string[];
const portBase = Number(process.env.BENCH_PROVINCE_PORT_BASE);
if (!Number.isInteger(portBase) || portBase <= 0) {
  throw new Error("BENCH_PROVINCE_PORT_BASE must name the first of the subgraphs' ports");
}
const config = { ...loadConfig(), gatewayPort: 0, subgraphPortBase: portBase };
const steps: { ms: number; message: string }[] = [];
const platform = await startPlatform(config, {
  departmentDirs,
  seed: 'never',
  log: (message) => steps.push({ ms: Math.round(performance.now()), message }),
});
process.on('message', (message) => {
  if (message === 'memory') process.send!({ memory: process.memoryUsage() });
  // The gateway stays on the supergraph it serves (the bench measures gateway workers then).
  if (message === 'pin gateway') {
    platform.registry.stop();
    process.send!({ pinned: true });
  }
});
stopOnSignals(() => platform.stop());
process.send!({
  ready: {
    url: platform.gateway.url,
    ms: performance.now(),
    cpu: process.cpuUsage(),
    memory: process.memoryUsage(),
    steps,
  },
});
