import { describe, expect, it } from 'vitest';
import { SerializedResponses } from '../SerializedResponses.ts';

/**
 * What the size check measured is what is sent, serialised once — and only
 * while the answer is the one measured: a replaced `errors`, `extensions` or
 * `data` is serialised afresh, so nothing stale is ever sent.
 */
describe('SerializedResponses', () => {
  const apolloOrder = (value: object) => `${JSON.stringify(value)}\n`;

  it('sends the text made for the measure, byte for byte what Apollo Server would send', () => {
    const serialized = new SerializedResponses();
    const data = { person: { name: '陈丹琳', licenses: [{ kind: 'FOOD' }] } };
    const errors = [{ message: 'Item phone is not among the items', path: ['person', 'phone'] }];
    const result = { data, errors };
    const text = serialized.serialize(result);
    expect(Buffer.byteLength(text)).toBe(Buffer.byteLength(JSON.stringify(result)));
    // Apollo Server hands stringifyResult a new object, fields ordered errors, data, extensions.
    const sent = { errors, data, extensions: undefined };
    expect(serialized.stringifyResult(sent)).toBe(apolloOrder(sent));
    expect(serialized.stringifyResult(sent)).toBe(`${text}\n`);
  });

  it('reuses the kept text rather than serialising again', () => {
    const serialized = new SerializedResponses();
    const data = { n: 1 };
    serialized.serialize({ data });
    // A change made in place after the measure is not seen: the contract plugins keep.
    data.n = 2;
    expect(serialized.stringifyResult({ data })).toBe('{"data":{"n":1}}\n');
  });

  it('serialises afresh when errors or extensions were replaced after the measure', () => {
    const serialized = new SerializedResponses();
    const data = { n: 1 };
    const errors = [{ message: 'denied' }];
    serialized.serialize({ data, errors });
    const withRequestId = errors.map((e) => ({ ...e, extensions: { requestId: 'r-1' } }));
    expect(serialized.stringifyResult({ errors: withRequestId, data })).toBe(
      apolloOrder({ errors: withRequestId, data }),
    );
    expect(serialized.stringifyResult({ errors, data, extensions: { x: 1 } })).toBe(
      apolloOrder({ errors, data, extensions: { x: 1 } }),
    );
    expect(serialized.stringifyResult({ errors, data: { n: 1 } })).toBe(
      apolloOrder({ errors, data: { n: 1 } }),
    );
  });

  it('serialises answers without data, and refusals, as they are', () => {
    const serialized = new SerializedResponses();
    const refusal = { errors: [{ message: 'too large', extensions: { code: 'OPERATION_LIMIT' } }] };
    expect(serialized.serialize(refusal)).toBe(JSON.stringify(refusal));
    expect(serialized.stringifyResult(refusal)).toBe(apolloOrder(refusal));
    expect(serialized.stringifyResult({ data: null })).toBe('{"data":null}\n');
  });
});
