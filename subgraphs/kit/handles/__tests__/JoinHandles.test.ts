import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { JoinHandles } from '../JoinHandles.ts';
import { Sealer } from '../Sealer.ts';

const sealer = new Sealer(randomBytes(32));
const ID = '330106196310216243';

describe('Sealer', () => {
  it('refuses a key that is not 32 bytes', () => {
    expect(() => new Sealer(randomBytes(16))).toThrow(TypeError);
  });
  it('opens what it sealed for the same context only', () => {
    const sealed = sealer.seal([ID], 'ctx-a');
    expect(sealer.open(sealed, 'ctx-a')).toEqual([ID]);
    expect(sealer.open(sealed, 'ctx-b')).toBeUndefined();
    expect(new Sealer(randomBytes(32)).open(sealed, 'ctx-a')).toBeUndefined();
  });
  it('seals one value differently every time, and reveals none of it', () => {
    const one = sealer.seal(ID, 'c');
    const two = sealer.seal(ID, 'c');
    expect(one).not.toBe(two);
    for (const handle of [one, two]) {
      const decoded = Buffer.from(handle, 'base64url').toString('latin1');
      expect(decoded).not.toContain(ID.slice(6, 14));
      expect(handle).not.toContain(ID.slice(0, 6));
    }
  });
  it('never uses a nonce twice, across the refills of its nonce pool', () => {
    const own = new Sealer(randomBytes(32));
    const handles = Array.from({ length: 3000 }, (_, i) => own.seal([ID, i], 'c'));
    const nonces = new Set(
      handles.map((h) => Buffer.from(h, 'base64url').subarray(0, 24).toString('hex')),
    );
    expect(nonces.size).toBe(handles.length);
    handles.forEach((handle, i) => expect(own.open(handle, 'c')).toEqual([ID, i]));
  });
  it('opens values with characters of any width', () => {
    const value = ['浙江省杭州市', 'é', '😀'.repeat(40)];
    expect(sealer.open(sealer.seal(value, 'c'), 'c')).toEqual(value);
  });
  it('refuses tampered, oversized and malformed input without throwing', () => {
    const sealed = sealer.seal(ID, 'c');
    // The last character but one, always to another one (it holds no spare bits).
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`;
    expect(sealer.open(flipped, 'c')).toBeUndefined();
    expect(sealer.open('x'.repeat(5000), 'c')).toBeUndefined();
    expect(sealer.open('not base64!', 'c')).toBeUndefined();
    expect(sealer.open(42, 'c')).toBeUndefined();
    expect(sealer.open('', 'c')).toBeUndefined();
  });
});

describe('JoinHandles', () => {
  it('opens a handle of the same request and type', () => {
    const handles = new JoinHandles(sealer, 'req-1');
    expect(handles.open('Person', handles.seal('Person', ID))).toBe(ID);
  });
  it('refuses a handle from another request or for another type with BAD_USER_INPUT', () => {
    const handle = new JoinHandles(sealer, 'req-1').seal('Person', ID);
    for (const attempt of [
      () => new JoinHandles(sealer, 'req-2').open('Person', handle),
      () => new JoinHandles(sealer, 'req-1').open('Enterprise', handle),
      () => new JoinHandles(sealer, 'req-1').open('Person', ID),
    ]) {
      expect(attempt).toThrow(GraphQLError);
      try {
        attempt();
      } catch (error) {
        expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
        expect((error as GraphQLError).message).not.toContain(ID);
      }
    }
  });
});
