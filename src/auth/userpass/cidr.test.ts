import { describe, expect, it } from 'vitest';
import { remoteAddressAllowed, validateBoundCidrs } from './cidr.js';

describe('bound CIDRs', () => {
  it('allows everyone when no block is set', () => {
    expect(remoteAddressAllowed('203.0.113.9', [])).toBe(true);
    expect(remoteAddressAllowed('', [])).toBe(true);
  });

  it('matches IPv4 clients, including those reported as IPv4-mapped IPv6', () => {
    const cidrs = ['127.0.0.0/8', '10.1.0.0/16'];
    expect(remoteAddressAllowed('127.0.0.1', cidrs)).toBe(true);
    expect(remoteAddressAllowed('::ffff:127.0.0.1', cidrs)).toBe(true);
    expect(remoteAddressAllowed('::ffff:10.1.200.3', cidrs)).toBe(true);
    expect(remoteAddressAllowed('10.2.0.1', cidrs)).toBe(false);
    expect(remoteAddressAllowed('::ffff:10.2.0.1', cidrs)).toBe(false);
  });

  it('matches single addresses, IPv6 blocks, zoned addresses and mapped blocks', () => {
    expect(remoteAddressAllowed('192.0.2.1', ['192.0.2.1'])).toBe(true);
    expect(remoteAddressAllowed('192.0.2.2', ['192.0.2.1'])).toBe(false);
    expect(remoteAddressAllowed('fe80::1%eth0', ['fe80::/10'])).toBe(true);
    expect(remoteAddressAllowed('2001:db8::5', ['2001:db8::/120'])).toBe(true);
    expect(remoteAddressAllowed('2001:db9::5', ['2001:db8::/32'])).toBe(false);
    expect(remoteAddressAllowed('10.0.0.7', ['::ffff:10.0.0.0/104'])).toBe(true);
    expect(remoteAddressAllowed('11.0.0.7', ['::ffff:10.0.0.0/104'])).toBe(false);
  });

  it('denies unknown or unparsable client addresses when bound', () => {
    expect(remoteAddressAllowed('', ['0.0.0.0/0'])).toBe(false);
    expect(remoteAddressAllowed('localhost', ['0.0.0.0/0'])).toBe(false);
    expect(remoteAddressAllowed('1.2.3.4', ['0.0.0.0/0'])).toBe(true);
  });

  it('validates blocks at write time', () => {
    expect(() => validateBoundCidrs(['10.0.0.0/8', '::1', '2001:db8::/32', ' 192.0.2.0/24 '])).not.toThrow();
    for (const bad of ['10.0.0.0/33', '10.0.0.0/8/1', 'host.example', '10.0.0.0/x', '::/129', '::ffff:10.0.0.0/64', '']) {
      expect(() => validateBoundCidrs([bad]), bad).toThrow(/invalid 'token_bound_cidrs' value/);
    }
  });
});
