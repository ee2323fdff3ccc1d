import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) as the IPv4 address it is. */
function plain(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? (m[1] as string) : ip;
}

/** Whether `ip` is inside any of `cidrs` (bare addresses count as /32 or /128). Malformed entries match nothing. */
export function ipAllowed(ip: string, cidrs: readonly string[]): boolean {
  const addr = plain(ip);
  const family = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : null;
  if (!family) return false;
  const list = new BlockList();
  for (const c of cidrs) {
    const [net, bits] = c.trim().split('/');
    if (!net) continue;
    const netFamily = isIPv4(net) ? 'ipv4' : isIPv6(net) ? 'ipv6' : null;
    // IPv4 and IPv6 blocks never match each other (BlockList would let ::/0 match IPv4).
    if (netFamily !== family) continue;
    const prefix = bits === undefined ? (family === 'ipv4' ? 32 : 128) : Number(bits);
    if (!Number.isInteger(prefix)) continue;
    list.addSubnet(net, prefix, family);
  }
  return list.check(addr, family);
}
