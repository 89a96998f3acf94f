import { ExitCode, UsageError, formatOption, parseCommandLine, type CliIo, type Command } from '../command.js';
import { formatTable } from '../format.js';
import type { StoredDevice } from '../../core/ports.js';
import type { DeviceState, EpisodeState, SuppressionState } from '../../core/state.js';
import { openStateStoreForCli, ruleKeysFor, stateLocationHelp, stateLocationOptions } from './stateStoreForCli.js';

const help = `hunter state list|show DEVICE|reset [options]

Shows or clears the dedupe state: per device, its current episode (id, updates so far,
evidence gathered, whether its context is still missing), the report ids already raised, what
exclusions suppressed (how often, when last, by which exclusions, the report ids seen only while
suppressed) and whether its detection is parked; per rule, the watermark (end of the last fully
hunted window).
  list            every device of the rule, and the watermark
  show DEVICE     one device (by DeviceId) in full
  reset           forget the rule's devices, watermark and run reports (with --azure, needs --yes)
${stateLocationHelp}
  --format F      table (default) or json
  --yes           confirm a reset of the Function's state table
Exit codes: 0 ok, 1 device not found or storage error, 2 usage error.`;

function suppressionSummary(suppression: SuppressionState | undefined): Record<string, unknown> {
  if (!suppression) return { suppressions: 0 };
  const evidence = suppression.reportIds;
  return {
    suppressions: suppression.count,
    lastSuppressedAt: suppression.lastSuppressedAt.toISOString(),
    suppressedBy: suppression.exclusionIds,
    suppressedFirstSeen: suppression.firstSeen.toISOString(),
    suppressedLastSeen: suppression.lastSeen.toISOString(),
    suppressedReportCount: evidence.reportCount,
    suppressedReportIds: evidence.recentReportIds,
    suppressedOverflowFilter: evidence.overflowFilter ? `${evidence.overflowFilter.length} bytes (older ids beyond the recent list)` : undefined,
  };
}

/** The list's column: how often, when last and by which exclusions the device was suppressed. */
function suppressionCell(suppression: SuppressionState | undefined): string {
  if (!suppression) return '';
  return `${suppression.count}x, last ${suppression.lastSuppressedAt.toISOString()} (${suppression.exclusionIds.join(', ')})`;
}

function deviceSummary(state: DeviceState): Record<string, unknown> {
  const { reported, episode, parked } = state;
  const evidence = episode?.evidence;
  return {
    deviceId: state.deviceId,
    deviceName: state.deviceName,
    firstSeen: state.firstSeen?.toISOString(),
    lastSeen: state.lastSeen?.toISOString(),
    reportCount: reported.reportCount,
    recentReportIds: reported.recentReportIds,
    overflowFilter: reported.overflowFilter ? `${reported.overflowFilter.length} bytes (older ids beyond the recent list)` : undefined,
    episodeId: episode?.episodeId ?? 'none (only suppressed so far)',
    episodeUpdates: episode?.sequence,
    episodeStart: episode?.episodeStart.toISOString(),
    previousEpisodeId: episode?.previousEpisodeId,
    lastUpdate: episode?.lastUpdate.toISOString(),
    episodeReportCount: evidence?.reportCount,
    episodeFiles: evidence ? evidence.context.files.length + evidence.context.omitted.files : undefined,
    episodeProcesses: evidence ? evidence.context.activities.length + evidence.context.omitted.activities : undefined,
    contextPending: episode?.contextPending ? `${episode.contextPending.attempts} attempt(s) since ${episode.contextPending.since.toISOString()}${episode.contextPending.givenUp ? ', given up' : ''}: ${episode.contextPending.reason}` : undefined,
    parked: parked ? `${parked.step}, ${parked.attempts} attempt(s) since ${parked.since.toISOString()}${parked.givenUp ? ', given up' : `, next ${parked.nextAttemptAt.toISOString()}`}: ${parked.message}` : undefined,
    ...suppressionSummary(state.suppression),
  };
}

function lastActivity(state: DeviceState): number {
  return Math.max(state.lastSeen?.getTime() ?? 0, state.suppression?.lastSeen.getTime() ?? 0);
}

function statusCell(state: DeviceState, episode: EpisodeState | undefined): string {
  if (state.parked) return state.parked.givenUp ? 'parked, given up' : 'parked';
  if (!episode) return 'suppressed';
  if (episode.contextPending && !episode.contextPending.givenUp) return 'raised, context pending';
  return episode.sequence === 0 ? 'raised' : `raised, ${episode.sequence} update(s)`;
}

function listText(ruleId: string, where: string, watermark: Date | undefined, stored: ReadonlyMap<string, StoredDevice>): string {
  const devices = [...stored.values()].map((d) => d.state).sort((a, b) => lastActivity(b) - lastActivity(a));
  const lines = [
    `rule ${ruleId}, ${where}`,
    `watermark: ${watermark ? watermark.toISOString() : 'none (the next run is a first run)'}`,
    `${devices.length} device(s)`,
  ];
  if (devices.length > 0) {
    lines.push(
      '',
      formatTable(
        ['device', 'name', 'last seen', 'reports', 'episode', 'status', 'episode start', 'suppressed'],
        devices.map((d) => [d.deviceId, d.deviceName, d.lastSeen, d.reported.reportCount, d.episode?.episodeId ?? '', statusCell(d, d.episode), d.episode?.episodeStart, suppressionCell(d.suppression)]),
      ),
    );
  }
  return lines.join('\n');
}

const options = { ...stateLocationOptions, yes: { type: 'boolean', default: false } } as const;

export const stateCommand: Command = {
  help,
  options,
  async run(args: readonly string[], io: CliIo) {
    const { values, positionals } = parseCommandLine(args, options, true);
    const [action, ...rest] = positionals;
    if (action !== 'list' && action !== 'show' && action !== 'reset') throw new UsageError(`expected list, show DEVICE or reset (got ${action ?? 'nothing'})`);
    if (action === 'show' ? rest.length !== 1 : rest.length !== 0) throw new UsageError(action === 'show' ? 'show needs exactly one DEVICE id' : `unexpected argument ${rest[0]}`);
    const format = formatOption(values.format, ['json', 'table']);
    if (action === 'reset' && values.azure && !values.yes) throw new UsageError('resetting the Function\'s state table needs --yes');
    const { ruleId, groupId } = ruleKeysFor(values, io.cwd);
    const opened = await openStateStoreForCli({ stateDir: values.state, azure: values.azure, env: io.env, cwd: io.cwd, command: `hunter state ${action}`, warn: (message) => io.stderr.write(`hunter state: ${message}\n`) });
    try {
      const { store, where } = opened;
      if (action === 'reset') {
        await store.resetRule(ruleId, groupId);
        io.stdout.write(`state of rule ${ruleId} reset (${where})\n`);
        return ExitCode.ok;
      }
      if (action === 'show') {
        const wanted = rest[0]!;
        // DEVICE is the DeviceId; a device name is found too, since that is what people remember.
        const device = (await store.readDevice(groupId, wanted)) ?? [...(await store.loadDevices(groupId)).values()].find((stored) => stored.state.deviceName.toLowerCase() === wanted.toLowerCase());
        if (!device) {
          io.stderr.write(`no state for device ${wanted} under rule ${ruleId} (${where}); give its DeviceId or DeviceName as \`hunter state list\` shows them\n`);
          return ExitCode.problems;
        }
        const summary = deviceSummary(device.state);
        io.stdout.write((format === 'json' ? JSON.stringify(summary, null, 2) : formatTable(['field', 'value'], Object.entries(summary))) + '\n');
        return ExitCode.ok;
      }
      const [devices, watermark] = await Promise.all([store.loadDevices(groupId), store.loadWatermark(ruleId)]);
      if (format === 'json') {
        io.stdout.write(JSON.stringify({ ruleId, groupId, watermark: watermark?.toISOString(), devices: [...devices.values()].map((d) => deviceSummary(d.state)) }, null, 2) + '\n');
      } else {
        io.stdout.write(listText(ruleId, where, watermark, devices) + '\n');
      }
      return ExitCode.ok;
    } finally {
      await opened.close();
    }
  },
};
