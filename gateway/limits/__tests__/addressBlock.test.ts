import { describe, expect, it } from 'vitest';
import { addressBlock, consumerKey } from '../callerLimits.ts';

describe('the addresses one anonymous share covers', () => {
  it('is an IPv4 address itself, written as a client of either family sends it', () => {
    expect(addressBlock('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBlock('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBlock('::FFFF:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBlock('203.0.113.8')).not.toBe(addressBlock('203.0.113.7'));
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    const block = '2001:db8:1:2::/64';
    for (const address of [
      '2001:db8:1:2::1',
      '2001:0db8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:DB8:1:2:abcd::9',
      '2001:db8:1:2:0:0:1.2.3.4',
      '2001:db8:1:2::7%eth0',
    ]) {
      expect(addressBlock(address), address).toBe(block);
    }
    expect(addressBlock('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressBlock('::1')).toBe('0:0:0:0::/64');
    expect(addressBlock('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('keys the share: a client cycling through its /64 stays one consumer', () => {
    const keys = new Set(
      Array.from({ length: 100 }, (_, i) => consumerKey(null, `2001:db8:aa:bb::${i.toString(16)}`)),
    );
    expect([...keys]).toEqual(['anonymous:2001:db8:aa:bb::/64']);
    expect(consumerKey(null, null)).toBe('anonymous:unknown');
    expect(
      consumerKey({ department: 'tax', application: null, roles: [], user: null }, '::1'),
    ).toBe('consumer:tax/-');
  });
});
