/**
 * One connection, one request at a time, for `seconds`: latency without
 * queueing, timed to the microsecond (autocannon rounds to whole
 * milliseconds, too coarse for a gateway's added latency). Run in its own
 * process by the benchmark; prints a LoadResult as JSON.
 *
 * `node --import tsx latencyProbe.ts <url> <seconds>` with the bodies (sent
 * in turn) and the headers, as JSON, in BENCH_BODIES and BENCH_HEADERS.
 */
import { Pool } from 'undici';
import type { LoadResult } from './runAutocannon.ts';
import { quantile } from './summarize.ts';

const [url, seconds] = process.argv.slice(2) as [string, string];
const target = new URL(url);
const pool = new Pool(target.origin, { connections: 1 });
const headers = {
  'content-type': 'application/json',
  ...(JSON.parse(process.env.BENCH_HEADERS ?? '{}') as Record<string, string>),
};
const bodies = JSON.parse(process.env.BENCH_BODIES ?? '[""]') as string[];
const micros: number[] = [];
let errors = 0;
const until = Date.now() + Number(seconds) * 1000;
while (Date.now() < until) {
  const body = bodies[micros.length % bodies.length];
  const started = process.hrtime.bigint();
  const response = await pool.request({ path: target.pathname, method: 'POST', headers, body });
  const text = await response.body.text();
  micros.push(Number(process.hrtime.bigint() - started) / 1000);
  if (response.statusCode !== 200 || text.includes('"errors"')) errors++;
}
await pool.close();
micros.sort((a, b) => a - b);
const at = (q: number) => quantile(micros, q)! / 1000;
const result: LoadResult = {
  requestsPerSecond: micros.length / Number(seconds),
  p50: at(0.5),
  p95: at(0.95),
  p99: at(0.99),
  errors,
  non2xx: 0,
  requests: micros.length,
};
console.log(JSON.stringify(result));
