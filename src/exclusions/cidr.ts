import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed range; a bare address is its own single-address range. */
export interface CidrRange {
  readonly text: string;
  readonly address: Address;
  readonly prefixLength: number;
}

/**
 * Strict parsing: only dotted-quad IPv4 and standard IPv6 text. ipaddr.js alone would also
 * accept forms like `10.1` or `0x0a000001`, which no Defender column produces and no
 * reviewer reading an exclusion would expect to mean 10.0.0.1.
 */
function parseStrict(text: string): Address | undefined {
  const trimmed = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) return ipaddr.IPv4.parse(trimmed);
  if (trimmed.includes(':') && ipaddr.IPv6.isValid(trimmed)) return ipaddr.IPv6.parse(trimmed);
  return undefined;
}

/** An address as a column gives it (strictly parsed, see `parseStrict`). */
export function parseAddress(text: string): Address | undefined {
  const address = parseStrict(text);
  // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; an IPv4 range must still cover them.
  if (address?.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (address as ipaddr.IPv6).toIPv4Address();
  }
  return address;
}

export function parseCidrRange(text: string): CidrRange | undefined {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  const address = parseStrict(addressText);
  if (address === undefined) return undefined;
  const maxPrefix = address.kind() === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { text, address, prefixLength: maxPrefix };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  if (prefixLength > maxPrefix) return undefined;
  return { text, address, prefixLength };
}

export function isValidCidrRange(text: string): boolean {
  return parseCidrRange(text) !== undefined;
}

/** Whether an address (from `parseAddress`) lies in the range. */
export function addressInRange(address: Address, range: CidrRange): boolean {
  return address.kind() === range.address.kind() && address.match(range.address, range.prefixLength);
}
