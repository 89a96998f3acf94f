/**
 * Reads infra/**\/*.bicep, local.settings.sample.json and the README settings table as text, and
 * checks them against the settings the code reads. Bicep cannot be compiled here, so these are
 * text checks over conventions that infra/ follows (see infra/README.md "Conventions the guard tests rely on"):
 *   - app settings are declared as object variables named `<something>AppSettings`, one key per setting
 *     (or, alternatively, literal `{ name: 'X', value: ... }` entries inside an `appSettings: [...]` array);
 *   - a role assignment names its role through
 *     `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', <constant>)`, where <constant> is a
 *     `var <constant> = '<role guid>'` with a comment saying which role it is and why.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { settingNames, settingsSchema } from '../../src/config/settings.js';
import { resolveTableConnection } from '../../src/config/tableConnection.js';

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export const repoRoot = join(import.meta.dirname, '..', '..');

/** Every `.bicep` file under infra/, relative paths for messages. */
export function readBicepFiles(root = repoRoot): SourceFile[] {
  const infraDir = join(root, 'infra');
  if (!existsSync(infraDir)) return [];
  return readdirSync(infraDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.bicep'))
    .sort()
    .map((file) => ({ path: relative(root, join(infraDir, file)), text: readFileSync(join(infraDir, file), 'utf8') }));
}

// ---------------------------------------------------------------------------------------------
// What the code reads

/**
 * The settings the hunter reads: the schema's names plus the names the state table connection is
 * resolved from. The connection names are found by running the real resolver against an environment
 * that records every key it is asked for, so a new variant in tableConnection.ts shows up here without
 * editing this file.
 */
export function settingsReadByCode(): { readonly names: ReadonlySet<string>; readonly tableConnectionNames: readonly string[] } {
  const connectionName = settingsSchema.shape.STATE_TABLE_CONNECTION.parse(undefined);
  const asked: string[] = [];
  const recordingEnv = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get(_target, key) {
        if (typeof key === 'string' && !asked.includes(key)) asked.push(key);
        return undefined;
      },
    },
  );
  resolveTableConnection(connectionName, recordingEnv);
  return { names: new Set<string>([...settingNames, ...asked]), tableConnectionNames: asked };
}

/** Names read as `process.env.X` / `process.env['X']` anywhere under src/ (the schema should be the only reader). */
export function processEnvReadsInSource(root = repoRoot): { readonly name: string; readonly file: string }[] {
  const srcDir = join(root, 'src');
  const reads: { name: string; file: string }[] = [];
  for (const file of readdirSync(srcDir, { recursive: true, encoding: 'utf8' })) {
    if (!/\.(ts|mts|js|mjs)$/.test(file)) continue;
    const text = stripLineAndBlockComments(readFileSync(join(srcDir, file), 'utf8'));
    for (const match of text.matchAll(/process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"`]([^'"`]+)['"`]\s*\])/g)) {
      reads.push({ name: (match[1] ?? match[2]) as string, file: join('src', file) });
    }
  }
  return reads;
}

function stripLineAndBlockComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

// ---------------------------------------------------------------------------------------------
// Bicep text

/**
 * Removes `//` and `/* *\/` comments while keeping string literals (single-quoted, with `\'` escapes,
 * and `'''` multi-line strings) intact, so a URL inside a string is not mistaken for a comment.
 * Line breaks are kept so positions still map to lines.
 */
export function stripBicepComments(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    if (text.startsWith("'''", index)) {
      const end = text.indexOf("'''", index + 3);
      const stop = end === -1 ? text.length : end + 3;
      out += text.slice(index, stop);
      index = stop;
    } else if (text[index] === "'") {
      let stop = index + 1;
      while (stop < text.length && text[stop] !== "'" && text[stop] !== '\n') stop += text[stop] === '\\' ? 2 : 1;
      out += text.slice(index, stop + 1);
      index = stop + 1;
    } else if (text.startsWith('//', index)) {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end;
    } else if (text.startsWith('/*', index)) {
      const end = text.indexOf('*/', index + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(index, stop).replace(/[^\n]/g, '');
      index = stop;
    } else {
      out += text[index];
      index += 1;
    }
  }
  return out;
}

/** The text between the bracket at `openAt` and its partner (exclusive), skipping strings. */
export function balancedBody(text: string, openAt: number): string {
  const open = text[openAt];
  const close = open === '{' ? '}' : open === '[' ? ']' : ')';
  let depth = 0;
  let inString = false;
  for (let index = openAt; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === "'") inString = false;
      continue;
    }
    if (char === "'") inString = true;
    else if (char === '{' || char === '[' || char === '(') depth += 1;
    else if (char === '}' || char === ']' || char === ')') {
      depth -= 1;
      if (depth === 0) {
        if (char !== close) break;
        return text.slice(openAt + 1, index);
      }
    }
  }
  throw new Error(`unbalanced ${open} at offset ${openAt}`);
}

/** Keys at the top level of an object body (`key: value` lines; keys may be quoted). */
function topLevelKeys(objectBody: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let inString = false;
  let lineStart = true;
  for (let index = 0; index < objectBody.length; index += 1) {
    const char = objectBody[index] as string;
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === "'") inString = false;
      continue;
    }
    if (lineStart && depth === 0) {
      const key = /^\s*(?:'([^']+)'|([A-Za-z_][A-Za-z0-9_]*))\s*:/.exec(objectBody.slice(index, objectBody.indexOf('\n', index) === -1 ? undefined : objectBody.indexOf('\n', index)));
      if (key) keys.push((key[1] ?? key[2]) as string);
    }
    lineStart = char === '\n';
    if (char === "'") inString = true;
    else if (char === '{' || char === '[' || char === '(') depth += 1;
    else if (char === '}' || char === ']' || char === ')') depth -= 1;
  }
  return keys;
}

export interface DeclaredSetting {
  readonly name: string;
  readonly file: string;
}

/** App setting names the Bicep sets: keys of `var xAppSettings = {...}` objects and literal `name:` entries in `appSettings: [...]`. */
export function bicepAppSettings(files: readonly SourceFile[]): DeclaredSetting[] {
  const found: DeclaredSetting[] = [];
  for (const file of files) {
    const code = stripBicepComments(file.text);
    for (const match of code.matchAll(/^\s*var\s+([A-Za-z_][A-Za-z0-9_]*AppSettings)\s*=\s*\{/gm)) {
      const body = balancedBody(code, (match.index ?? 0) + match[0].length - 1);
      for (const name of topLevelKeys(body)) found.push({ name, file: file.path });
    }
    for (const match of code.matchAll(/\bappSettings\s*:\s*\[/g)) {
      const body = balancedBody(code, (match.index ?? 0) + match[0].length - 1);
      for (const entry of body.matchAll(/\bname\s*:\s*'([^']+)'/g)) found.push({ name: entry[1] as string, file: file.path });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// local.settings.sample.json and README.md

export type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export function readLocalSettingsSample(root = repoRoot): Loaded<string[]> {
  const path = join(root, 'local.settings.sample.json');
  if (!existsSync(path)) return { ok: false, problem: `local.settings.sample.json is missing at the repository root (expected { "Values": { <every setting the code reads> } })` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { ok: false, problem: `local.settings.sample.json is not valid JSON: ${(error as Error).message}` };
  }
  const values = (parsed as { Values?: unknown }).Values;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    return { ok: false, problem: 'local.settings.sample.json has no "Values" object (the Functions local settings format)' };
  }
  return { ok: true, value: Object.keys(values) };
}

/**
 * Setting names in the README's settings table(s): markdown tables whose first column holds a name in
 * backticks, counted as settings tables when at least one first-column name is a setting the code reads
 * (so the CLI and rule-field tables are left alone).
 */
export function readReadmeSettingsTable(knownSettings: ReadonlySet<string>, root = repoRoot): Loaded<string[]> {
  const path = join(root, 'README.md');
  if (!existsSync(path)) return { ok: false, problem: 'README.md is missing at the repository root (expected a settings table: | `SETTING_NAME` | ... |)' };
  const tables: string[][] = [];
  let current: string[] | undefined;
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    if (!line.trimStart().startsWith('|')) {
      current = undefined;
      continue;
    }
    if (current === undefined) {
      current = [];
      tables.push(current);
    }
    const firstCell = line.trim().slice(1).split('|')[0] ?? '';
    const name = /^\s*`([A-Za-z_][A-Za-z0-9_]*)`/.exec(firstCell);
    if (name) current.push(name[1] as string);
  }
  const settingsTables = tables.filter((names) => names.some((name) => knownSettings.has(name)));
  if (settingsTables.length === 0) {
    return { ok: false, problem: 'README.md has no settings table: a markdown table whose first column is the setting name in backticks, e.g. | `HUNT_SCHEDULE` | ... |' };
  }
  return { ok: true, value: settingsTables.flat() };
}

// ---------------------------------------------------------------------------------------------
// Comparing

export interface Comparison {
  /** Read by the code, absent from the source, and not excused. */
  readonly missing: string[];
  /** Set in the source, read neither by the code nor (with a reason) by the Functions host. */
  readonly neverRead: string[];
  /** Excused as absent but present after all, or excused for a name the code no longer reads. */
  readonly staleExcuses: string[];
}

export function compareSettings(
  source: readonly string[],
  readByCode: ReadonlySet<string>,
  options: { readonly mayBeAbsent: Readonly<Record<string, string>>; readonly readByHost: Readonly<Record<string, string>> },
): Comparison {
  const present = new Set(source);
  const missing = [...readByCode].filter((name) => !present.has(name) && !(name in options.mayBeAbsent));
  const neverRead = [...present].filter((name) => !readByCode.has(name) && !(name in options.readByHost));
  const staleExcuses = Object.keys(options.mayBeAbsent).filter((name) => !readByCode.has(name));
  return { missing: missing.sort(), neverRead: neverRead.sort(), staleExcuses: staleExcuses.sort() };
}

export function describeComparison(sourceName: string, comparison: Comparison): string[] {
  const problems: string[] = [];
  if (comparison.missing.length > 0) problems.push(`${sourceName}: read by the code but missing: ${comparison.missing.join(', ')}`);
  if (comparison.neverRead.length > 0) problems.push(`${sourceName}: set but never read (not by the code, not by the Functions host): ${comparison.neverRead.join(', ')}`);
  if (comparison.staleExcuses.length > 0) problems.push(`${sourceName}: excused as absent, but the code no longer reads: ${comparison.staleExcuses.join(', ')}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Bicep security conventions

interface ResourceBlock {
  readonly file: string;
  readonly symbol: string;
  readonly type: string;
  readonly existing: boolean;
  readonly body: string;
}

export function resourceBlocks(files: readonly SourceFile[]): ResourceBlock[] {
  const blocks: ResourceBlock[] = [];
  for (const file of files) {
    const code = stripBicepComments(file.text);
    for (const match of code.matchAll(/^\s*resource\s+([A-Za-z_][A-Za-z0-9_]*)\s+'([^'@]+)@[^']+'\s+(existing\s+)?=\s*(?:if\s*\(|\[|\{)/gm)) {
      const braceAt = code.indexOf('{', (match.index ?? 0) + match[0].length - 1);
      blocks.push({ file: file.path, symbol: match[1] as string, type: match[2] as string, existing: match[3] !== undefined, body: balancedBody(code, braceAt) });
    }
  }
  return blocks;
}

/**
 * A Logs Ingestion path as the hunter deploys it (findings.bicep, health.bicep): one DCR of kind Direct (its own
 * ingestion endpoint, no DCE: logs-ingestion-api-overview, "Endpoint"), and the identity's only right on it
 * Monitoring Metrics Publisher on that DCR (same page, "Configuration").
 */
export function directDcrProblems(blocks: readonly ResourceBlock[]): string[] {
  const dcrs = blocks.filter((block) => block.type === 'Microsoft.Insights/dataCollectionRules');
  if (dcrs.length !== 1) return [`expected one data collection rule, found ${dcrs.length}`];
  const dcr = dcrs[0]!;
  const problems: string[] = [];
  if (!/\bkind\s*:\s*'Direct'/.test(dcr.body)) problems.push(`${dcr.file}: ${dcr.symbol} is not kind 'Direct'`);
  if (blocks.some((block) => block.type === 'Microsoft.Insights/dataCollectionEndpoints')) problems.push(`${dcr.file}: a data collection endpoint (a Direct DCR needs none)`);
  const assignments = blocks.filter((block) => block.type === 'Microsoft.Authorization/roleAssignments');
  if (assignments.length !== 1) return [...problems, `${dcr.file}: expected one role assignment, found ${assignments.length}`];
  const body = assignments[0]!.body;
  if (!new RegExp(`\\bscope\\s*:\\s*${dcr.symbol}\\b`).test(body)) problems.push(`${dcr.file}: the role assignment is not scoped to ${dcr.symbol}`);
  if (!/monitoringMetricsPublisherRoleId/.test(body)) problems.push(`${dcr.file}: the role assignment is not Monitoring Metrics Publisher`);
  return problems;
}

/** A storage connection string or key anywhere in Bicep code (comments excluded). */
export function storageSecretUses(files: readonly SourceFile[]): string[] {
  const forbidden: { readonly pattern: RegExp; readonly why: string }[] = [
    { pattern: /\blistKeys\s*\(/i, why: 'listKeys() reads an account key' },
    { pattern: /\blist(?:Account|Service)Sas\s*\(/i, why: 'a SAS is signed with an account key' },
    { pattern: /AccountKey\s*=/i, why: 'AccountKey= is a key-based connection string' },
    { pattern: /DefaultEndpointsProtocol\s*=/i, why: 'DefaultEndpointsProtocol= starts a key-based connection string' },
    { pattern: /SharedAccessSignature\s*=/i, why: 'a SAS connection string' },
    { pattern: /UseDevelopmentStorage/i, why: 'the Azurite connection string belongs in local settings only' },
    { pattern: /StorageAccountConnectionString/i, why: 'Flex deployment storage must authenticate with the identity' },
  ];
  const problems: string[] = [];
  for (const file of files) {
    const code = stripBicepComments(file.text);
    code.split('\n').forEach((line, lineIndex) => {
      for (const { pattern, why } of forbidden) {
        if (pattern.test(line)) problems.push(`${file.path}:${lineIndex + 1}: ${why}: ${line.trim()}`);
      }
      // Any "connectionString" token is a storage connection string unless it is Application Insights'
      // (an ingestion endpoint, not a credential, once local auth is disabled).
      for (const token of line.matchAll(/[A-Za-z0-9_.]*connection_?string[A-Za-z0-9_]*/gi)) {
        if (!/applicationinsights/i.test(token[0])) problems.push(`${file.path}:${lineIndex + 1}: connection string (only Application Insights' is allowed): ${line.trim()}`);
      }
    });
  }
  for (const block of resourceBlocks(files)) {
    if (block.type.toLowerCase() === 'microsoft.storage/storageaccounts' && !block.existing && !/\ballowSharedKeyAccess\s*:\s*false\b/.test(block.body)) {
      problems.push(`${block.file}: storage account ${block.symbol} does not set allowSharedKeyAccess: false`);
    }
  }
  for (const setting of bicepAppSettings(files)) {
    if (setting.name === 'AzureWebJobsStorage') problems.push(`${setting.file}: app setting AzureWebJobsStorage is the connection-string form; use AzureWebJobsStorage__credential / __clientId / __*ServiceUri`);
  }
  return problems;
}

export interface RoleConstant {
  readonly name: string;
  readonly guid: string;
  readonly comment: string;
  readonly file: string;
}

/** `var name = '<guid>'` declarations with a comment on the same line or on the comment lines just above. */
export function roleIdConstants(files: readonly SourceFile[]): { readonly constants: Map<string, RoleConstant>; readonly uncommented: string[] } {
  const constants = new Map<string, RoleConstant>();
  const uncommented: string[] = [];
  for (const file of files) {
    const lines = file.text.split('\n');
    lines.forEach((line, index) => {
      const declaration = /^\s*var\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*'([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})'\s*(?:\/\/\s*(.*))?$/.exec(line);
      if (!declaration) return;
      let comment = declaration[3]?.trim() ?? '';
      for (let above = index - 1; comment === '' && above >= 0; above -= 1) {
        const previous = (lines[above] as string).trim();
        if (previous.startsWith('@')) continue; // decorators such as @export()
        if (previous.startsWith('//')) comment = previous.replace(/^\/\/\s*/, '');
        break;
      }
      const name = declaration[1] as string;
      if (comment === '') uncommented.push(`${file.path}:${index + 1}: ${name}`);
      constants.set(name, { name, guid: declaration[2] as string, comment, file: file.path });
    });
  }
  return { constants, uncommented };
}

/** Role assignments (and Graph app role assignments) that do not name a commented role id constant, or whose name is not guid(scope, principal, role). */
export function roleAssignmentProblems(files: readonly SourceFile[]): string[] {
  const { constants, uncommented } = roleIdConstants(files);
  const problems = uncommented.map((where) => `${where}: role id constant has no comment saying which role it is`);
  for (const block of resourceBlocks(files)) {
    if (block.existing) continue;
    const type = block.type.toLowerCase();
    if (type === 'microsoft.authorization/roleassignments') {
      const roleDefinition = /\broleDefinitionId\s*:\s*(.+)/.exec(block.body)?.[1]?.trim() ?? '(none)';
      const constant = /^subscriptionResourceId\(\s*'Microsoft\.Authorization\/roleDefinitions'\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(roleDefinition)?.[1];
      if (constant === undefined || !constants.has(constant)) {
        problems.push(`${block.file}: role assignment ${block.symbol} must use subscriptionResourceId('Microsoft.Authorization/roleDefinitions', <commented role id constant>), found: ${roleDefinition}`);
        continue;
      }
      const name = /\bname\s*:\s*guid\(([^\n]*)\)\s*$/m.exec(block.body)?.[1];
      const parts = name?.split(',').map((part) => part.trim());
      if (parts === undefined || parts.length !== 3 || parts[2] !== constant) {
        problems.push(`${block.file}: role assignment ${block.symbol} must be named guid(<scope>.id, <principal id>, ${constant}), found: ${name === undefined ? '(no guid name)' : `guid(${name})`}`);
      }
    } else if (type === 'microsoft.graph/approleassignedto') {
      const appRole = /\bappRoleId\s*:\s*(.+)/.exec(block.body)?.[1]?.trim() ?? '(none)';
      if (!constants.has(appRole)) problems.push(`${block.file}: Graph app role assignment ${block.symbol} must name a commented app role id constant, found: ${appRole}`);
    }
  }
  return problems;
}
