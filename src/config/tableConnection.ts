/**
 * Resolves the state table's connection the way Azure Functions resolves a connection
 * name: `NAME` holds a connection string, or `NAME__tableServiceUri` (or `NAME__accountName`)
 * names an endpoint reached with the managed identity (`NAME__clientId` for a user-assigned one).
 */
import { trimTrailing } from '../text/trimTrailing.js';

export type TableConnection =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly tableServiceUri: string; readonly clientId: string | undefined };

type Resolution = { readonly ok: true; readonly connection: TableConnection } | { readonly ok: false; readonly problem: string };

export function resolveTableConnection(name: string, env: Readonly<Record<string, string | undefined>>): Resolution {
  const value = (key: string) => {
    const found = env[key]?.trim();
    return found ? found : undefined;
  };
  const connectionString = value(name);
  if (connectionString) {
    const problem = connectionStringProblem(connectionString);
    if (problem !== undefined) return { ok: false, problem: `${name}: ${problem}` };
    return { ok: true, connection: { kind: 'connectionString', connectionString } };
  }
  const clientId = value(`${name}__clientId`);
  const serviceUri = value(`${name}__tableServiceUri`);
  if (serviceUri) {
    // A managed identity's bearer token must not travel in clear text (the SDK refuses it too, later and less clearly).
    if (!/^https:\/\//i.test(serviceUri)) return { ok: false, problem: `${name}__tableServiceUri: must be an https:// URL (got ${JSON.stringify(serviceUri)})` };
    return { ok: true, connection: { kind: 'identity', tableServiceUri: trimTrailing(serviceUri, '/'), clientId } };
  }
  const accountName = value(`${name}__accountName`);
  if (accountName) {
    return { ok: true, connection: { kind: 'identity', tableServiceUri: `https://${accountName}.table.core.windows.net`, clientId } };
  }
  return {
    ok: false,
    problem: `${name}: state table connection missing: set ${name} (connection string) or ${name}__tableServiceUri / ${name}__accountName (managed identity) (STATE_TABLE_CONNECTION=${name})`,
  };
}

/**
 * Checks a connection string against the shapes the Tables SDK accepts (its connectionString.ts, and
 * learn.microsoft.com/azure/storage/common/storage-configure-connection-string), so a malformed one is a
 * settings error naming the setting instead of a JavaScript error from inside the SDK ("Cannot read
 * properties of undefined"). Messages name the parts, never their values: the key is a secret.
 */
export function connectionStringProblem(connectionString: string): string | undefined {
  if (/usedevelopmentstorage=true/i.test(connectionString)) return undefined;
  const parts = new Map<string, string>();
  const elements = connectionString.split(';').filter((element) => element.trim() !== '');
  for (const [index, element] of elements.entries()) {
    const equals = element.indexOf('=');
    if (equals <= 0) return `not a connection string: part ${index + 1} (${JSON.stringify(element.length > 20 ? `${element.slice(0, 20)}…` : element)}) is not key=value`;
    parts.set(element.slice(0, equals).trim().toLowerCase(), element.slice(equals + 1).trim());
  }
  const tableEndpoint = parts.get('tableendpoint');
  if (tableEndpoint !== undefined && !isHttpUrl(tableEndpoint)) return 'TableEndpoint is not an http(s) URL';
  if (parts.has('defaultendpointsprotocol') && parts.has('accountkey')) {
    const protocol = parts.get('defaultendpointsprotocol')!.toLowerCase();
    if (protocol !== 'https' && protocol !== 'http') return 'DefaultEndpointsProtocol must be https or http';
    if (!parts.get('accountname')) return 'AccountName is missing';
    if (!parts.get('accountkey')) return 'AccountKey is empty';
    if (tableEndpoint === undefined && !parts.get('endpointsuffix')) return 'EndpointSuffix (e.g. core.windows.net) or TableEndpoint is missing';
    return undefined;
  }
  if (tableEndpoint !== undefined && parts.get('sharedaccesssignature')) return undefined;
  return (
    'is neither an account key connection string (DefaultEndpointsProtocol, AccountName, AccountKey and EndpointSuffix or TableEndpoint) ' +
    'nor a SAS one (TableEndpoint and SharedAccessSignature); copy it from the storage account\'s Access keys page, or use UseDevelopmentStorage=true for Azurite'
  );
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
