import { BlockList, isIP } from 'node:net';

type Family = 'ipv4' | 'ipv6';

interface Block {
  family: Family;
  address: string;
  prefix: number;
  list: BlockList;
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The client address as an IPv4 or IPv6 literal. Node reports IPv4 clients of a dual-stack listener as
 * IPv4-mapped IPv6 (`::ffff:127.0.0.1`); those must match IPv4 blocks such as `127.0.0.0/8`. A zone suffix
 * (`fe80::1%eth0`) is dropped. Null when the address is not an IP literal.
 */
export function normaliseAddress(address: string): { address: string; family: Family } | null {
  let a = address.trim();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const mapped = MAPPED_V4.exec(a);
  if (mapped?.[1] !== undefined && isIP(mapped[1]) === 4) a = mapped[1];
  const v = isIP(a);
  if (v === 4) return { address: a, family: 'ipv4' };
  if (v === 6) return { address: a, family: 'ipv6' };
  return null;
}

/** Parses `a.b.c.d/n` or `x::y/n`; a bare address counts as a single-host block (Vault stores old /32s bare). */
function parseBlock(cidr: string): Block | null {
  const text = cidr.trim();
  const slash = text.indexOf('/');
  const host = normaliseAddress(slash < 0 ? text : text.slice(0, slash));
  if (host === null) return null;
  const max = host.family === 'ipv4' ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const bits = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bits)) return null;
    prefix = Number(bits);
    if (prefix > max) return null;
  }
  const list = new BlockList();
  list.addSubnet(host.address, prefix, host.family);
  return { family: host.family, address: host.address, prefix, list };
}

/** Whether every entry is a valid CIDR block (or a bare address). */
export function validCidrs(cidrs: readonly string[]): boolean {
  return cidrs.every((c) => parseBlock(c) !== null);
}

/**
 * Whether `remoteAddress` lies in one of `cidrs`. Families never cross: Node's BlockList would let an IPv6 `::/0`
 * match every IPv4 address, which Go's `net.IPNet.Contains` (Vault) does not.
 */
export function addressInCidrs(remoteAddress: string, cidrs: readonly string[]): boolean {
  const client = normaliseAddress(remoteAddress);
  if (client === null) return false;
  for (const cidr of cidrs) {
    const block = parseBlock(cidr);
    if (block !== null && block.family === client.family && block.list.check(client.address, client.family)) return true;
  }
  return false;
}

/**
 * Whether every block of `inner` lies inside some block of `outer` (Vault's `cidrutil.SubsetBlocks`): a secret ID's
 * `cidr_list` must narrow the role's `secret_id_bound_cidrs`, never widen it. An empty `outer` allows anything.
 */
export function cidrsWithin(inner: readonly string[], outer: readonly string[]): boolean {
  if (outer.length === 0) return true;
  const parents = outer.map(parseBlock);
  return inner.every((cidr) => {
    const child = parseBlock(cidr);
    if (child === null) return false;
    return parents.some(
      (p) => p !== null && p.family === child.family && child.prefix >= p.prefix && p.list.check(child.address, child.family),
    );
  });
}
