import { createCatalogue, defaultCatalogue, type SchemaCatalogue } from '../../kql/index.js';
import { withSentinelIdentityInfo } from '../../context/index.js';
import { localFindingsTableSchema } from '../../findings/findingsTable.js';
import { localRunsTableSchema } from '../../health/runsTable.js';

/**
 * The tables local data may hold: Log Analytics' view of the Defender tables, with Sentinel's
 * UEBA IdentityInfo columns (GroupMembership) so group-based exclusions replay as they run in Azure,
 * and the hunter's own tables (what the file sink writes: findings, run records), so the analytics rules and the
 * workbook run locally.
 */
const withoutFindings = withSentinelIdentityInfo(defaultCatalogue);

export const localCatalogue: SchemaCatalogue = createCatalogue([
  ...withoutFindings.tableNames().map((name) => withoutFindings.schemaOf(name)!),
  localFindingsTableSchema,
  localRunsTableSchema,
]);
