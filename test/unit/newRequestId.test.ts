import { describe, expect, it } from 'vitest';
import { newRequestId } from '../../server/index.ts';

describe('request ids', () => {
  it('are UUIDs of version 7 that sort in the order they were made, none twice', () => {
    const ids = Array.from({ length: 5000 }, () => newRequestId());
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    // Made thousands a millisecond, they still increase: an audit index takes them at its end.
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('begin with the time they were made, and end in random bits', () => {
    const before = Date.now();
    const id = newRequestId();
    const millis = parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(Date.now());
    const others = new Set(Array.from({ length: 1000 }, () => newRequestId().slice(24)));
    expect(others.size).toBe(1000);
  });
});
