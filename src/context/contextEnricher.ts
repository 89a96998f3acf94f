import type { Hit, ResultRow, TimeWindow } from '../core/model.js';
import type { Logger, QueryBackend } from '../core/ports.js';
import type { ContextEnricher, ContextResult } from '../core/ports.js';
import { DEFAULT_QUERY_LIMITS } from '../core/queryLimits.js';
import { errorMessage } from '../core/errors.js';
import type { HuntRule } from '../rules/rule.js';
import { assembleDeviceContexts } from './assembleContexts.js';
import { bindContextQuery } from './bindQuery.js';
import { presentText } from './ecsMapping.js';
import { deviceIdOf, evidenceKind, PROCESS_INSTANCE_COLUMNS } from './contextRows.js';
import { EMPTY_GROUP_DIRECTORY, groupDirectoryFromRows, type GroupDirectory } from './groupDirectory.js';
import { bindIdentityGroupsQuery } from './identityGroupsQuery.js';
import { runBatched } from './queryBatches.js';

export interface ContextEnricherOptions {
  /**
   * Most devices (and account names) bound into one query (CONTEXT_BATCH_SIZE). Unset: as many as
   * the backend's limits allow (query text length, result rows), so 10,000 hits take two queries.
   */
  readonly maxBatchSize?: number | undefined;
  /** Look up user.group in IdentityInfo (default true). */
  readonly groupMembership?: boolean;
  /** How far back an IdentityInfo snapshot may be (default 14 days, UEBA's refresh period). */
  readonly identityLookbackMs?: number;
  readonly logger?: Logger;
}

const DEFAULT_IDENTITY_LOOKBACK_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * A failed batch is logged and its devices are answered as failed: they are raised, never
 * suppressed, and the pipeline asks again next run. Rows for devices that were not asked about are ignored.
 */
export function createContextEnricher(backend: QueryBackend, options: ContextEnricherOptions = {}): ContextEnricher {
  const { maxBatchSize, logger } = options;
  if (maxBatchSize !== undefined && (!Number.isInteger(maxBatchSize) || maxBatchSize < 1)) {
    throw new RangeError(`maxBatchSize must be a positive integer, got ${maxBatchSize}`);
  }
  const limits = backend.limits ?? DEFAULT_QUERY_LIMITS;
  const run = async (query: string, window: TimeWindow) => (await backend.run({ query, window, purpose: 'context' })).rows;

  function evidenceRows(
    rule: HuntRule,
    contextQuery: string,
    deviceIds: readonly string[],
    window: TimeWindow,
    failed: Map<string, string>,
    progress: ((devices: number) => void) | undefined,
  ): Promise<ResultRow[]> {
    return runBatched(deviceIds, limits, {
      bind: (batch) => bindContextQuery(contextQuery, window, batch),
      run: (query) => run(query, window),
      failed(batch, error) {
        for (const deviceId of batch) failed.set(deviceId, `context query failed: ${errorMessage(error)}`);
        logger?.error('context query failed; these devices are raised without context', {
          ruleId: rule.id,
          backend: backend.name,
          devices: batch.length,
          error: errorMessage(error),
        });
      },
      ...(progress && { done: progress }),
      maxValues: maxBatchSize,
    });
  }

  async function groupDirectory(rows: readonly ResultRow[], window: TimeWindow): Promise<GroupDirectory> {
    if (options.groupMembership === false) return EMPTY_GROUP_DIRECTORY;
    const accountNames = distinctAccountNames(rows);
    if (accountNames.length === 0) return EMPTY_GROUP_DIRECTORY;
    const lookback = options.identityLookbackMs ?? DEFAULT_IDENTITY_LOOKBACK_MS;
    const identityWindow: TimeWindow = { start: new Date(window.end.getTime() - lookback), end: window.end };
    let failure: unknown;
    const identityRows = await runBatched(accountNames, limits, {
      bind: bindIdentityGroupsQuery,
      run: (query) => (failure === undefined ? run(query, identityWindow) : Promise.resolve([])),
      failed(_batch, error) {
        failure ??= error;
      },
      maxValues: maxBatchSize,
    });
    if (failure !== undefined) {
      // One lookup that fails means the workspace cannot answer it (no IdentityInfo): no groups at all, rather than some.
      logger?.warn('group membership lookup failed (no IdentityInfo here?); user.group stays empty', {
        backend: backend.name,
        error: errorMessage(failure),
      });
      return EMPTY_GROUP_DIRECTORY;
    }
    if (identityRows.length > 0 && !identityRows.some((row) => 'GroupMembership' in row)) {
      logger?.warn('IdentityInfo on this backend has no GroupMembership (Defender, or Sentinel without UEBA); user.group stays empty', {
        backend: backend.name,
      });
    }
    return groupDirectoryFromRows(identityRows);
  }

  return {
    async enrich(rule: HuntRule, hits: readonly Hit[], window: TimeWindow, progress?: (devices: number) => void): Promise<ContextResult> {
      const deviceIds = [...new Set(hits.map((hit) => hit.deviceId).filter((id) => id !== ''))];
      const failed = new Map<string, string>();
      if (rule.contextQuery === undefined || deviceIds.length === 0) return { contexts: new Map(), failed };
      const asked = new Set(deviceIds);
      const rows = (await evidenceRows(rule, rule.contextQuery, deviceIds, window, failed, progress)).filter((row) => asked.has(deviceIdOf(row) ?? ''));
      return { contexts: assembleDeviceContexts(rows, await groupDirectory(rows, window)), failed };
    },
  };
}

function distinctAccountNames(rows: readonly ResultRow[]): string[] {
  const names = new Map<string, string>();
  for (const row of rows) {
    const kind = evidenceKind(row);
    if (kind !== 'process' && kind !== 'network') continue;
    const name = presentText(row[PROCESS_INSTANCE_COLUMNS[kind].accountName]);
    if (name !== undefined) names.set(name.toLowerCase(), name);
  }
  return [...names.values()];
}
