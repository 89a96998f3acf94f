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
  const parsed = parseRange(text);
  return typeof parsed === 'string' ? undefined : parsed;
}

/** Why `text` is not a usable range, or undefined when it is one. */
export function cidrRangeProblem(text: string): string | undefined {
  const parsed = parseRange(text);
  return typeof parsed === 'string' ? parsed : undefined;
}

function parseRange(text: string): CidrRange | string {
  const notARange = 'is not an IPv4 or IPv6 address or CIDR range (e.g. 10.0.0.0/8, fd00::/8)';
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  const address = parseStrict(addressText);
  if (address === undefined) return notARange;
  const maxPrefix = address.kind() === 'ipv4' ? 32 : 128;
  let prefixLength = maxPrefix;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) return notARange;
    prefixLength = Number(prefixText);
  }
  // Values that are IPv4-mapped (::ffff:a.b.c.d, as dual-stack sockets report IPv4 peers) are compared
  // as IPv4 (parseAddress), so a mapped range must be the IPv4 range it maps, or it could never match.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    if (prefixLength < 96) {
      return `${text} is an IPv4-mapped range with a prefix shorter than /96: write the IPv4 range (e.g. 10.0.0.0/8) or an IPv6 range outside ::ffff:0:0/96`;
    }
    return { text, address: (address as ipaddr.IPv6).toIPv4Address(), prefixLength: prefixLength - 96 };
  }
  return { text, address, prefixLength };
}

/** Whether an address (from `parseAddress`) lies in the range. */
export function addressInRange(address: Address, range: CidrRange): boolean {
  return address.kind() === range.address.kind() && address.match(range.address, range.prefixLength);
}
