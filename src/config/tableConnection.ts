/**
 * Resolves the state table's connection the way Azure Functions resolves a connection
 * name: `NAME` holds a connection string, or `NAME__tableServiceUri` (or `NAME__accountName`)
 * names an endpoint reached with the managed identity (`NAME__clientId` for a user-assigned one).
 */
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
  if (connectionString) return { ok: true, connection: { kind: 'connectionString', connectionString } };
  const clientId = value(`${name}__clientId`);
  const serviceUri = value(`${name}__tableServiceUri`);
  if (serviceUri) {
    // A managed identity's bearer token must not travel in clear text (the SDK refuses it too, later and less clearly).
    if (!/^https:\/\//i.test(serviceUri)) return { ok: false, problem: `${name}__tableServiceUri: must be an https:// URL (got ${JSON.stringify(serviceUri)})` };
    return { ok: true, connection: { kind: 'identity', tableServiceUri: serviceUri.replace(/\/+$/, ''), clientId } };
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
