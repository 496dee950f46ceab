import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdmissionRefusal } from '../../gateway/limits/index.ts';
import { AdmissionGate, type Admission } from '../../gateway/limits/index.ts';
import type { AdmissionBounds, InFlightLimits } from '../../server/index.ts';

const BOUNDS: AdmissionBounds = { inFlight: 4, costInFlight: 100, queued: 10, queueWaitMs: 1000 };
const SHARE: InFlightLimits = { inFlight: 2, costInFlight: 60, queued: 3 };

/** Whether `admission` was admitted, refused (with the refusal) or still waits, after pending callbacks. */
async function stateOf(admission: Admission): Promise<'admitted' | 'waiting' | AdmissionRefusal> {
  let state: 'admitted' | 'waiting' | AdmissionRefusal = 'waiting';
  admission.ready.then(
    () => (state = 'admitted'),
    (refusal: AdmissionRefusal) => (state = refusal),
  );
  await Promise.resolve();
  await Promise.resolve();
  return state;
}

describe('AdmissionGate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("admits a consumer's share at once, queues the next in order, and refuses once its queue is full", async () => {
    const gate = new AdmissionGate(BOUNDS);
    const enter = () => gate.enter({ consumer: 'a', share: SHARE, cost: 1 });
    const running = [enter(), enter()];
    const queued = [enter(), enter(), enter()];
    const over = enter();
    for (const a of running) expect(await stateOf(a)).toBe('admitted');
    for (const a of queued) expect(await stateOf(a)).toBe('waiting');
    expect(await stateOf(over)).toMatchObject({
      limit: 'queued',
      maximum: 3,
      waitingOn: 'inFlight',
    });
    running[0]!.leave();
    expect(await stateOf(queued[0]!)).toBe('admitted');
    expect(await stateOf(queued[1]!)).toBe('waiting');
    running[0]!.leave(); // twice is once
    expect(await stateOf(queued[1]!)).toBe('waiting');
    expect(gate.load).toEqual({ running: 2, cost: 2, waiting: 2 });
  });

  it('lets consumers take turns, so a light caller is not behind a heavy one’s queue', async () => {
    const gate = new AdmissionGate({ ...BOUNDS, inFlight: 1 });
    const wide = { ...SHARE, queued: 10 };
    const first = gate.enter({ consumer: 'heavy', share: wide, cost: 50 });
    const heavy = Array.from({ length: 5 }, () =>
      gate.enter({ consumer: 'heavy', share: wide, cost: 50 }),
    );
    const light = gate.enter({ consumer: 'light', share: wide, cost: 1 });
    expect(await stateOf(light)).toBe('waiting');
    first.leave();
    // The heavy consumer's queue was first, so its head goes; then the light one's turn.
    expect(await stateOf(heavy[0]!)).toBe('admitted');
    heavy[0]!.leave();
    expect(await stateOf(light)).toBe('admitted');
    expect(await stateOf(heavy[1]!)).toBe('waiting');
  });

  it('weighs requests by cost: a costly one waits for room, and runs alone when costlier than the bound', async () => {
    const gate = new AdmissionGate(BOUNDS);
    const a = gate.enter({ consumer: 'a', share: SHARE, cost: 50 });
    const b = gate.enter({ consumer: 'a', share: SHARE, cost: 20 });
    expect(await stateOf(a)).toBe('admitted');
    expect(await stateOf(b)).toBe('waiting'); // 70 > the share's 60
    const cheap = gate.enter({ consumer: 'c', share: SHARE, cost: 40 });
    expect(await stateOf(cheap)).toBe('admitted');
    const huge = gate.enter({ consumer: 'd', share: SHARE, cost: 500 });
    expect(await stateOf(huge)).toBe('waiting'); // over every bound: waits for an empty gateway
    a.leave();
    expect(await stateOf(b)).toBe('admitted');
    b.leave();
    cheap.leave();
    expect(await stateOf(huge)).toBe('admitted');
  });

  it('refuses a request that waited queueWaitMs, naming what it waited on, and frees its place', async () => {
    const gate = new AdmissionGate(BOUNDS);
    const share = { ...SHARE, inFlight: 1 };
    const running = gate.enter({ consumer: 'a', share, cost: 1 });
    const waiting = gate.enter({ consumer: 'a', share, cost: 1 });
    vi.advanceTimersByTime(999);
    expect(await stateOf(waiting)).toBe('waiting');
    vi.advanceTimersByTime(1);
    expect(await stateOf(waiting)).toMatchObject({
      limit: 'queueWaitMs',
      maximum: 1000,
      waitingOn: 'inFlight',
    });
    expect(gate.load).toEqual({ running: 1, cost: 1, waiting: 0 });
    running.leave();
    expect(gate.load).toEqual({ running: 0, cost: 0, waiting: 0 });
  });

  it('bounds every queue together, and a request that leaves while waiting gives up its place', async () => {
    const gate = new AdmissionGate({ ...BOUNDS, inFlight: 1, queued: 2 });
    const running = gate.enter({ consumer: 'a', share: SHARE, cost: 1 });
    const b = gate.enter({ consumer: 'b', share: SHARE, cost: 1 });
    const c = gate.enter({ consumer: 'c', share: SHARE, cost: 1 });
    const d = gate.enter({ consumer: 'd', share: SHARE, cost: 1 });
    expect(await stateOf(d)).toMatchObject({
      limit: 'gatewayQueued',
      maximum: 2,
      waitingOn: 'gatewayInFlight',
    });
    b.leave();
    running.leave();
    expect(await stateOf(c)).toBe('admitted');
    expect(await stateOf(b)).toBe('waiting'); // left: never admitted, never refused
  });
});
