import { kqlStringArray } from './bindQuery.js';
import { replaceLetValues } from '../kql/index.js';

/**
 * Group membership comes from Sentinel's UEBA IdentityInfo (GroupMembership, AccountUPN).
 * It is a separate query, not a leg of the rule's context query, because many workspaces lack
 * it (no UEBA; Defender's IdentityInfo has no GroupMembership): there it fails alone, and the
 * process and network evidence still arrives. No time filter: IdentityInfo is a snapshot table,
 * and the newest row per account is picked in TypeScript.
 */
export const IDENTITY_GROUPS_QUERY = `let AccountNames = dynamic([]);
IdentityInfo
| where AccountName in~ (AccountNames)
| project TimeGenerated, AccountName, AccountDomain, AccountUPN, GroupMembership
`;

export function bindIdentityGroupsQuery(accountNames: readonly string[]): string {
  return replaceLetValues(IDENTITY_GROUPS_QUERY, { AccountNames: kqlStringArray(accountNames) });
}
