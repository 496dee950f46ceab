/**
 * The load generator's process: autocannon driven through its API, so each
 * request can carry the next of several bodies (the CLI sends one body over
 * and over). Run by `runAutocannon`; prints autocannon's result as JSON, as
 * its CLI's `--json` does.
 *
 * `node --import tsx loadDriver.ts <request file>`, the file holding the
 * LoadRequest as JSON.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { benchPackageDir } from './benchPackages.ts';
import type { LoadRequest } from './runAutocannon.ts';

interface Autocannon {
  (options: Record<string, unknown>): Promise<unknown>;
}

const request = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadRequest;
const autocannon = createRequire(import.meta.url)(
  join(benchPackageDir('autocannon'), 'autocannon.js'),
) as Autocannon;
const bodies = typeof request.body === 'string' ? [request.body] : request.body;
let next = 0;
const result = await autocannon({
  url: request.url,
  connections: request.connections,
  duration: request.seconds,
  method: 'POST',
  headers: { 'content-type': 'application/json', ...request.headers },
  body: bodies[0],
  // Every connection takes the next body in turn: no two concurrent requests
  // need be the same, as in real traffic (a gateway that shares one subgraph
  // answer among identical requests in flight gains nothing from it here).
  requests:
    bodies.length > 1
      ? [{ setupRequest: (req: object) => ({ ...req, body: bodies[next++ % bodies.length] }) }]
      : undefined,
});
console.log(JSON.stringify(result));
