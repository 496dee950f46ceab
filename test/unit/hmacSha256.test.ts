import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from '../../server/identity/HmacSha256.ts';

/**
 * The fetch tokens' HMAC-SHA256 (server/identity/HmacSha256.ts) is computed
 * with libsodium, for speed; it must give node:crypto's bytes, so a token made
 * by either implementation verifies with the other.
 */
describe('HMAC-SHA256 through libsodium', () => {
  const messages = [
    '',
    'a',
    'eyJhbGciOiJIUzI1NiJ9.eyJyaWQiOiJyLTEifQ',
    '数据共享平台：公安局人口信息',
    'x'.repeat(63),
    'x'.repeat(64),
    'x'.repeat(65),
    JSON.stringify({ query: '{ persons(first: 100) { nodes { name } } }', variables: {} }).repeat(
      300,
    ),
  ];

  it('MACs as createHmac does, for keys shorter than, as long as and longer than a block', () => {
    for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const hmac = new HmacSha256(key);
      for (const message of messages) {
        const expected = createHmac('sha256', key).update(message, 'utf8').digest();
        expect(hmac.of(message).equals(expected), `key ${keyLength}`).toBe(true);
        expect(hmac.of(Buffer.from(message, 'utf8')).equals(expected)).toBe(true);
      }
    }
  });

  it('gives each MAC its own buffer, and the same key the same MAC every time', () => {
    const hmac = new HmacSha256(randomBytes(32));
    const first = hmac.of('one');
    const second = hmac.of('two');
    expect(first.equals(second)).toBe(false);
    expect(hmac.of('one').equals(first)).toBe(true);
    expect(new HmacSha256(randomBytes(32)).of('one').equals(first)).toBe(false);
  });
});
