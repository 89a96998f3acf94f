// geo_info_from_ip_address() offline (https://learn.microsoft.com/kusto/query/geo-info-from-ip-address-function).
// Kusto answers from MaxMind's GeoLite2 data, which this project does not ship. A data folder may hold
// `geoip.json`, mapping address ranges (CIDR, IPv4 or IPv6; a bare address is its own range) to the
// documented fields:
//
//   { "20.53.203.0/24": { "country": "Australia", "state": "New South Wales", "city": "Sydney",
//                         "latitude": -33.8715, "longitude": 151.2006 } }
//
// An address gets the entry of the longest range that holds it; an address no range holds, or text
// that is not an address, gets null. Without the file the function fails, saying so.
import { addressInRange, parseAddress, parseCidrRange, type CidrRange } from '../exclusions/cidr.js';
import { closestNames, formatSuggestion } from '../kql/suggest.js';
import { DataFileError } from './errors.js';
import { readMappingFile } from './mappingFile.js';

export const GEO_IP_MAP = 'geoip.json';

const FIELDS: Readonly<Record<string, 'string' | 'number'>> = { country: 'string', state: 'string', city: 'string', latitude: 'number', longitude: 'number' };

export type GeoLookup = (ip: string) => Readonly<Record<string, unknown>> | null;

/** The folder's geo lookup, or undefined when it has no geoip.json (the function then fails with the reason). */
export function readGeoIpMap(dir: string): GeoLookup | undefined {
  const mapping = readMappingFile(dir, GEO_IP_MAP, 'address ranges to locations');
  if (!mapping) return undefined;
  const { file, entries: doc } = mapping;
  const entries: { range: CidrRange; info: Readonly<Record<string, unknown>> }[] = [];
  for (const [key, info] of Object.entries(doc)) {
    const range = parseCidrRange(key.trim());
    if (!range) throw new DataFileError(file, 0, key, 'not an IPv4 or IPv6 address or CIDR range');
    if (info === null || typeof info !== 'object' || Array.isArray(info)) throw new DataFileError(file, 0, key, `expected an object of ${Object.keys(FIELDS).join(', ')}`);
    for (const [field, value] of Object.entries(info)) {
      const want = FIELDS[field];
      if (!want) throw new DataFileError(file, 0, key, `unknown field '${field}'${formatSuggestion(closestNames(field, Object.keys(FIELDS)), 'fields')}`);
      if (typeof value !== want) throw new DataFileError(file, 0, key, `'${field}' must be a ${want}`);
    }
    entries.push({ range, info: info as Readonly<Record<string, unknown>> });
  }
  // longest prefix first, so the first range that holds an address is the most specific
  entries.sort((a, b) => b.range.prefixLength - a.range.prefixLength);
  return (ip) => {
    const address = parseAddress(ip);
    if (!address) return null;
    return entries.find((e) => addressInRange(address, e.range))?.info ?? null;
  };
}
