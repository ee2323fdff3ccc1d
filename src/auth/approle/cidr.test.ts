import { describe, expect, it } from 'vitest';
import { addressInCidrs, cidrsWithin, normaliseAddress, validCidrs } from './cidr.js';

describe('CIDR helpers', () => {
  it('validates blocks, accepting bare addresses as single hosts', () => {
    expect(validCidrs(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1'])).toBe(true);
    expect(validCidrs([])).toBe(true);
    for (const bad of ['10.0.0.0/33', '::/129', 'nope', '10.0.0.0/', '10.0.0.0/x', '300.1.1.1/8']) {
      expect(validCidrs([bad]), bad).toBe(false);
    }
  });

  it('matches IPv4-mapped IPv6 client addresses against IPv4 blocks', () => {
    expect(normaliseAddress('::ffff:127.0.0.1')).toEqual({ address: '127.0.0.1', family: 'ipv4' });
    expect(addressInCidrs('::ffff:127.0.0.1', ['127.0.0.0/8'])).toBe(true);
    expect(addressInCidrs('::FFFF:10.1.2.3', ['10.1.0.0/16'])).toBe(true);
    expect(addressInCidrs('::ffff:10.2.0.1', ['10.1.0.0/16'])).toBe(false);
  });

  it('matches plain addresses, zones and single hosts', () => {
    expect(addressInCidrs('10.1.2.3', ['192.168.0.0/16', '10.0.0.0/8'])).toBe(true);
    expect(addressInCidrs('11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(addressInCidrs('192.168.1.7', ['192.168.1.7'])).toBe(true);
    expect(addressInCidrs('fe80::1%eth0', ['fe80::/10'])).toBe(true);
    expect(addressInCidrs('', ['0.0.0.0/0'])).toBe(false);
  });

  it('never matches across address families (Node would let ::/0 match IPv4)', () => {
    expect(addressInCidrs('10.0.0.1', ['::/0'])).toBe(false);
    expect(addressInCidrs('2001:db8::1', ['0.0.0.0/0'])).toBe(false);
    expect(addressInCidrs('2001:db8::1', ['::/0'])).toBe(true);
  });

  it('checks that a secret ID narrows the role blocks', () => {
    expect(cidrsWithin(['10.1.0.0/16', '10.2.3.4/32'], ['10.0.0.0/8'])).toBe(true);
    expect(cidrsWithin(['10.0.0.0/8'], ['10.1.0.0/16'])).toBe(false);
    expect(cidrsWithin(['11.0.0.0/16'], ['10.0.0.0/8'])).toBe(false);
    expect(cidrsWithin(['10.0.0.0/8'], [])).toBe(true);
    expect(cidrsWithin([], ['10.0.0.0/8'])).toBe(true);
    expect(cidrsWithin(['127.0.0.1'], ['127.0.0.1'])).toBe(true);
  });
});
