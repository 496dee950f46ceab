import { createServer, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enableMetrics, loadConfig, metrics, metricsRoute } from '../../server/index.ts';

/**
 * /metrics counts which department read which dataset, and why it was refused:
 * what the audit trail shows only to reviewers. Read from another host, it
 * needs the scrape token; without one set, only this host is answered.
 */

/** This host's first address other than loopback: a peer that is not this process's host's loopback. */
const OUTSIDE = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => void metricsRoute(req, res));
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => enableMetrics(false));

const scrape = (host: string, headers: Record<string, string> = {}) =>
  fetch(`http://${host}:${port}/metrics`, { headers });

describe('/metrics', () => {
  it('without METRICS_TOKEN answers this host only, whose counts name consumers and datasets', async () => {
    enableMetrics(true);
    metrics.subgraphRequest('public_security', []);
    const here = await scrape('127.0.0.1');
    expect(here.status).toBe(200);
    expect(await here.text()).toContain('govdata_');
    expect(OUTSIDE, 'this host has an address other than loopback').toBeDefined();
    const outside = await scrape(OUTSIDE!);
    expect(outside.status).toBe(403);
    const said = await outside.text();
    expect(said).toMatch(/Set METRICS_TOKEN/);
    expect(said).not.toContain('govdata_');
  });

  it('with METRICS_TOKEN answers only a scraper sending it, from here or elsewhere', async () => {
    const token = 'a'.repeat(20) + 'b'.repeat(20);
    enableMetrics(true, token);
    for (const host of ['127.0.0.1', OUTSIDE!]) {
      const none = await scrape(host);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await none.text()).toMatch(/Authorization: Bearer <METRICS_TOKEN>/);
      expect((await scrape(host, { authorization: `Bearer ${token}x` })).status).toBe(401);
      expect((await scrape(host, { authorization: `Bearer ${token.slice(1)}` })).status).toBe(401);
      expect((await scrape(host, { authorization: token })).status).toBe(401);
      const right = await scrape(host, { authorization: `Bearer ${token}` });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('govdata_');
    }
  });

  it('METRICS=off serves nothing, token or not', async () => {
    enableMetrics(false, 'c'.repeat(40));
    expect((await scrape('127.0.0.1', { authorization: `Bearer ${'c'.repeat(40)}` })).status).toBe(
      404,
    );
  });

  it('refuses a METRICS_TOKEN too short to be a secret, or with spaces, saying how to make one', () => {
    for (const bad of ['short', `${'d'.repeat(20)} ${'d'.repeat(20)}`]) {
      expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrow(/METRICS_TOKEN: use 32 to 512/);
    }
    expect(loadConfig({ METRICS_TOKEN: 'e'.repeat(64) }).observability.metricsToken).toBe(
      'e'.repeat(64),
    );
  });
});
