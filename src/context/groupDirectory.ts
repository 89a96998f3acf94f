/**
 * Group membership of the accounts that ran the detected tool, from IdentityInfo (Sentinel UEBA).
 * A group is attached only when the account is identified without doubt: a name that
 * exists in two domains gets no groups, because a wrong group could hide a detection.
 */
import type { ResultRow } from '../core/model.js';
import { presentText } from './ecsMapping.js';
import { timeOf } from './contextRows.js';

export interface AccountRef {
  readonly name: string | undefined;
  readonly domain: string | undefined;
  readonly upn: string | undefined;
}

export interface GroupDirectory {
  /** undefined when the account is unknown or ambiguous: the activity then has no user.group. */
  groupsOf(account: AccountRef): readonly string[] | undefined;
}

export const EMPTY_GROUP_DIRECTORY: GroupDirectory = { groupsOf: () => undefined };

interface Identity {
  readonly name: string | undefined;
  readonly domain: string | undefined;
  readonly upn: string | undefined;
  readonly groups: readonly string[];
  readonly asOf: number;
}

/** Rows of the IdentityInfo query; the newest row of an identity wins (older rows are earlier snapshots). */
export function groupDirectoryFromRows(rows: readonly ResultRow[]): GroupDirectory {
  const latest = new Map<string, Identity>();
  for (const row of rows) {
    const identity: Identity = {
      name: presentText(row['AccountName'])?.toLowerCase(),
      domain: presentText(row['AccountDomain'])?.toLowerCase(),
      upn: presentText(row['AccountUPN'] ?? row['AccountUpn'])?.toLowerCase(),
      groups: groupList(row['GroupMembership']),
      asOf: (timeOf(row['TimeGenerated']) ?? timeOf(row['Timestamp']))?.getTime() ?? 0,
    };
    const key = identity.upn ?? `${identity.name ?? ''}@${identity.domain ?? ''}`;
    const known = latest.get(key);
    if (known === undefined || identity.asOf >= known.asOf) latest.set(key, identity);
  }
  // Indexed by UPN and by name, so each lookup reads only the identities it could be: a mass
  // deployment looks up thousands of accounts among thousands of identities.
  const byUpn = new Map<string, Identity[]>();
  const byName = new Map<string, Identity[]>();
  const index = (map: Map<string, Identity[]>, key: string | undefined, identity: Identity) => {
    if (key === undefined) return;
    const list = map.get(key);
    if (list === undefined) map.set(key, [identity]);
    else list.push(identity);
  };
  for (const identity of latest.values()) {
    index(byUpn, identity.upn, identity);
    index(byName, identity.name, identity);
  }
  return {
    groupsOf(account) {
      const upn = account.upn?.toLowerCase();
      if (upn !== undefined) {
        const withUpn = byUpn.get(upn) ?? [];
        if (withUpn.length === 1) return withUpn[0]?.groups;
      }
      const name = account.name?.toLowerCase();
      const domain = account.domain?.toLowerCase();
      if (name === undefined || domain === undefined) return undefined;
      const withName = (byName.get(name) ?? []).filter((identity) => sameDomain(identity.domain, domain));
      return withName.length === 1 ? withName[0]?.groups : undefined;
    },
  };
}

/** Process events carry the NetBIOS domain (CONTOSO); IdentityInfo may carry the DNS name (contoso.com). */
function sameDomain(identityDomain: string | undefined, accountDomain: string): boolean {
  if (identityDomain === undefined) return false;
  return identityDomain === accountDomain || identityDomain.split('.')[0] === accountDomain;
}

function groupList(value: unknown): readonly string[] {
  let items: unknown = value;
  if (typeof value === 'string') {
    try {
      items = JSON.parse(value);
    } catch {
      items = [value];
    }
  }
  if (!Array.isArray(items)) return [];
  return [...new Set(items.map(presentText).filter((group): group is string => group !== undefined))];
}
