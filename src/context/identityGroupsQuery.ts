import { kqlStringArray, replaceLetValues } from '../kql/queryText.js';

/**
 * Group membership comes from Sentinel's UEBA IdentityInfo (GroupMembership). It is a separate
 * query, not a leg of the rule's context query, because many workspaces lack it: Log Analytics
 * without UEBA has no IdentityInfo, so the query fails alone and the process and network evidence
 * still arrives. No `project`: Sentinel spells AccountUPN and TimeGenerated where Defender's
 * IdentityInfo has AccountUpn and Timestamp and no GroupMembership at all, and naming any of them
 * would break the query on the other; the mapper reads whichever is there. No time filter either:
 * IdentityInfo is a snapshot table, and the newest row per account is picked in TypeScript.
 */
export const IDENTITY_GROUPS_QUERY = `let AccountNames = dynamic([]);
IdentityInfo
| where AccountName in~ (AccountNames)
`;

export function bindIdentityGroupsQuery(accountNames: readonly string[]): string {
  return replaceLetValues(IDENTITY_GROUPS_QUERY, { AccountNames: kqlStringArray(accountNames) });
}
