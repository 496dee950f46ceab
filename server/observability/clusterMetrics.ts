import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { metricsRegistry } from './platformMetrics.ts';

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** A worker asks the primary for the cluster's metrics. */
interface AskMessage {
  govdataMetricsAsk: number;
}
/** The primary asks a worker for its own metrics. */
interface CollectMessage {
  govdataMetricsCollect: number;
}
/** A worker's own metrics, to the primary. */
interface CollectedMessage {
  govdataMetricsCollected: number;
  metrics: MetricsJson;
}
/** The cluster's metrics in Prometheus text, to the worker that asked. */
interface AnswerMessage {
  govdataMetricsAnswer: number;
  text?: string;
  error?: string;
}

/** Longest the primary waits for a worker's metrics before leaving it out. */
const COLLECT_MS = 2000;

/**
 * This process's metrics in Prometheus text, or, in a cluster worker, the
 * whole cluster's: the primary's own (the audit writer lives there) and every
 * worker's, summed (histograms and counters add; gauges add, except those
 * declared otherwise). A scrape reaches whichever worker the primary hands the
 * connection to, and answers for all of them.
 */
export async function currentMetrics(): Promise<string> {
  if (!cluster.isWorker || !process.connected) return metricsRegistry.metrics();
  return askPrimary();
}

let asked = 0;
const waiting = new Map<number, (answer: AnswerMessage) => void>();
let workerListening = false;

/** In a worker: answers the primary's collections, and takes its answers. */
function listenInWorker(): void {
  if (workerListening) return;
  workerListening = true;
  process.on('message', (message: Partial<CollectMessage & AnswerMessage>) => {
    if (typeof message?.govdataMetricsCollect === 'number') {
      const id = message.govdataMetricsCollect;
      void metricsRegistry.getMetricsAsJSON().then((metrics) => {
        const reply: CollectedMessage = { govdataMetricsCollected: id, metrics };
        if (process.connected) process.send!(reply);
      });
    } else if (typeof message?.govdataMetricsAnswer === 'number') {
      waiting.get(message.govdataMetricsAnswer)?.(message as AnswerMessage);
      waiting.delete(message.govdataMetricsAnswer);
    }
  });
}

function askPrimary(): Promise<string> {
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the primary process did not answer with the cluster metrics'));
    }, COLLECT_MS * 2);
    waiting.set(id, (answer) => {
      clearTimeout(timer);
      if (answer.text !== undefined) resolve(answer.text);
      else reject(new Error(answer.error ?? 'no metrics'));
    });
    process.send!({ govdataMetricsAsk: id } satisfies AskMessage);
  });
}

/**
 * Call in every cluster worker at start (before serving): it answers the
 * primary's requests for its metrics.
 */
export function shareMetricsWithPrimary(): void {
  if (cluster.isWorker) listenInWorker();
}

/**
 * In the primary: answers each worker's request for the cluster's metrics by
 * collecting every live worker's and its own, and summing them. Returns a
 * function that stops listening.
 */
export function aggregateMetricsForWorkers(): () => void {
  let collection = 0;
  const collections = new Map<number, { expected: number; got: MetricsJson[]; done: () => void }>();
  const onMessage = (worker: Worker, message: Partial<AskMessage & CollectedMessage>) => {
    if (typeof message?.govdataMetricsCollected === 'number') {
      const pending = collections.get(message.govdataMetricsCollected);
      if (!pending) return;
      pending.got.push(message.metrics ?? []);
      if (pending.got.length === pending.expected) pending.done();
      return;
    }
    if (typeof message?.govdataMetricsAsk !== 'number') return;
    const askId = message.govdataMetricsAsk;
    const id = ++collection;
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w !== undefined && w.isConnected(),
    );
    const got: MetricsJson[] = [];
    let finished = false;
    const finish = async () => {
      if (finished) return;
      finished = true;
      collections.delete(id);
      clearTimeout(timer);
      try {
        const all = [await metricsRegistry.getMetricsAsJSON(), ...got];
        const text = await AggregatorRegistry.aggregate(all).metrics();
        if (worker.isConnected()) worker.send({ govdataMetricsAnswer: askId, text });
      } catch (error) {
        if (worker.isConnected()) {
          worker.send({
            govdataMetricsAnswer: askId,
            error: String(error),
          } satisfies AnswerMessage);
        }
      }
    };
    const timer = setTimeout(() => void finish(), COLLECT_MS);
    collections.set(id, { expected: workers.length, got, done: () => void finish() });
    for (const w of workers) w.send({ govdataMetricsCollect: id } satisfies CollectMessage);
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
