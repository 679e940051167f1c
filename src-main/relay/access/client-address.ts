// Who a request comes from, as the relay's limits see it (§5.1): one IPv4 address, or one IPv6
// /64 (a single subscriber usually holds a whole /64, so per-address budgets would be free to
// multiply). And whether an address the relay binds is loopback-only (§12, /metrics).
import ipaddr from 'ipaddr.js';

/** Groups of the last addresses seen (every long poll and rate-limited request asks); emptied when full. */
const groups = new Map<string, string>();
const GROUPS_KEPT = 1024;

/** The sender group of a client IP: `a.b.c.d`, or `xxxx:xxxx:xxxx:xxxx::/64` (IPv4-mapped IPv6 counts as IPv4). */
export function senderGroupOf(ip: string): string {
  let group = groups.get(ip);
  if (group === undefined) {
    group = groupOf(ip);
    if (groups.size >= GROUPS_KEPT) groups.clear();
    groups.set(ip, group);
  }
  return group;
}

function groupOf(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

/** True for `localhost` and loopback IP literals (127.0.0.0/8, ::1, ::ffff:127.x.x.x). */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIpLiteral(bare) && ipaddr.process(bare).range() === 'loopback';
}

/** Only dotted-quad IPv4 and IPv6 literals (ipaddr.isValid would also take forms like "127.1"). */
function isIpLiteral(host: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host);
}
