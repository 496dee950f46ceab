/**
 * One replica's policy store in its own process (started by the province
 * bench, not by hand): the `PolicyStore` every subgraph process runs, on the
 * platform database of DATA_DIR, reloading on its own timer. Answers over IPC:
 * - `{ cpu: ms }`: the CPU it spent over the next `ms` (milliseconds of CPU per
 *   second) and the longest its event loop was held meanwhile;
 * - `{ watch: { consumer, dataset, id, version } }`: `{ seen: epoch ms }` as soon
 *   as its rules hold that grant at that version or later.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, loadConfig, openDatabase } from '../../../server/index.ts';
import { PolicyStore } from '../../../subgraphs/kit/access/index.ts';

interface Watch {
  consumer: string;
  dataset: string;
  id: string;
  version: number;
}

const config = loadConfig();
const db = await openDatabase(config.database, 'platform');
const store = new PolicyStore(db, createLogger(config), config.policyReload);
const started = performance.now();
await store.start();
const loadMs = performance.now() - started;

async function cpuOver(ms: number) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const before = process.cpuUsage();
  const from = performance.now();
  await sleep(ms);
  const used = process.cpuUsage(before);
  const elapsed = performance.now() - from;
  delay.disable();
  return {
    msPerSecond: (used.user + used.system) / 1000 / (elapsed / 1000),
    maxLoopDelayMs: delay.max / 1e6,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
  };
}

async function watch({ consumer, dataset, id, version }: Watch): Promise<number> {
  for (;;) {
    const grant = store.snapshot.grantsOf(consumer, dataset).find((g) => g.id === id);
    if (grant && grant.version >= version) return Date.now();
    await sleep(5);
  }
}

process.on('message', (message: { cpu?: number; watch?: Watch }) => {
  if (message.cpu !== undefined) void cpuOver(message.cpu).then((cpu) => process.send!({ cpu }));
  if (message.watch) void watch(message.watch).then((seen) => process.send!({ seen }));
});
process.on('SIGTERM', () => {
  store.stop();
  void db.destroy().then(() => process.exit(0));
});
// The policy store's timer does not hold the process open (it is unref'd, as
// in a subgraph host, whose server does): the channel to the bench must, until
// the bench stops the replica.
process.channel?.ref();
process.send!({ ready: { loadMs, rssMiB: process.memoryUsage().rss / 2 ** 20 } });
