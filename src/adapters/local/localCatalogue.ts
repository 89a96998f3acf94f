import { defaultCatalogue, type SchemaCatalogue } from '../../kql/index.js';
import { withSentinelIdentityInfo } from '../../context/index.js';

/**
 * The tables local data may hold: Log Analytics' view of the Defender tables, with Sentinel's
 * UEBA IdentityInfo columns (GroupMembership) so group-based exclusions replay as they run in Azure.
 */
export const localCatalogue: SchemaCatalogue = withSentinelIdentityInfo(defaultCatalogue);
