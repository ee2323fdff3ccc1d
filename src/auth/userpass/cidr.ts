import { BlockList, isIP } from 'node:net';
import { invalidRequest } from '../../framework/index.js';

interface Block {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `::ffff:10.1.2.3` → `10.1.2.3`; drops an IPv6 zone (`fe80::1%eth0`). Node's sockets report IPv4 clients mapped. */
function normaliseAddress(address: string): string {
  const unzoned = address.split('%', 1)[0] ?? '';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(unzoned);
  return mapped?.[1] ?? unzoned;
}

/** An IP (a single-host block) or a CIDR block; null when it is neither. */
function parseBlock(value: string): Block | null {
  const [rawAddress = '', rawPrefix, ...rest] = value.trim().split('/');
  if (rest.length > 0) return null;
  const address = normaliseAddress(rawAddress);
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  let prefix = max;
  if (rawPrefix !== undefined) {
    if (!/^\d{1,3}$/.test(rawPrefix)) return null;
    prefix = Number(rawPrefix);
    // An IPv4-mapped block written in IPv6 (`::ffff:10.0.0.0/104`) becomes the IPv4 block it denotes.
    if (version === 4 && address !== rawAddress) prefix -= 96;
    if (prefix < 0 || prefix > max) return null;
  }
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Refuses values of `token_bound_cidrs` that are neither IPs nor CIDR blocks, so they never reach a login. */
export function validateBoundCidrs(values: readonly string[]): void {
  const bad = values.filter((v) => parseBlock(v) === null);
  if (bad.length > 0) throw invalidRequest(`invalid 'token_bound_cidrs' value: ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
}

/**
 * Whether `remoteAddress` lies in one of `cidrs`. An empty list allows everyone; an unknown or unparsable address
 * is allowed by no list (Vault denies a bound login without connection information).
 */
export function remoteAddressAllowed(remoteAddress: string, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0) return true;
  const address = normaliseAddress(remoteAddress);
  const version = isIP(address);
  if (version === 0) return false;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const block = parseBlock(cidr);
    if (block) list.addSubnet(block.address, block.prefix, block.family);
  }
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
