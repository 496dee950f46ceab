import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  ephemeralLow,
  freePort,
  freePortRange,
  freePorts,
  portIsFree,
} from '../../scripts/platform/portsAhead.ts';

describe('ports chosen ahead of binding', () => {
  it('come from below the kernel’s ephemeral range, distinct, and free', async () => {
    const low = ephemeralLow();
    const ports = [...(await freePorts(40)), await freePort()];
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low);
      expect(await portIsFree(port)).toBe(true);
    }
  });

  it('are not the ports the kernel hands out to listen(0) and to outgoing connections', async () => {
    const servers: Server[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const server = createServer();
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        servers.push(server);
      }
      const kernels = new Set(servers.map((s) => (s.address() as { port: number }).port));
      for (const port of await freePorts(20)) expect(kernels.has(port)).toBe(false);
      for (const port of kernels) expect(port).toBeGreaterThanOrEqual(ephemeralLow());
    } finally {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });

  it('give a range whose every port is free, and never one handed out before', async () => {
    const first = await freePortRange(30);
    const second = await freePortRange(30);
    expect(Math.abs(first - second)).toBeGreaterThanOrEqual(30);
    for (let port = first; port < first + 30; port++) expect(await portIsFree(port)).toBe(true);
  });

  it('skip a port something listens on', async () => {
    const port = await freePort();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      expect(await portIsFree(port)).toBe(false);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('read the ephemeral range’s start, or fall back to Linux’s default', () => {
    expect(ephemeralLow(() => '40000\t60999\n')).toBe(40_000);
    expect(ephemeralLow(() => 'garbage')).toBe(32_768);
    expect(
      ephemeralLow(() => {
        throw new Error('no /proc here');
      }),
    ).toBe(32_768);
  });
});
