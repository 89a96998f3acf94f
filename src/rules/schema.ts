/**
 * The rule file: Sentinel analytic-rule YAML fields the hunter uses, plus its own optional
 * fields with documented defaults (docs/rules.md). Unknown Sentinel fields (entityMappings,
 * version, ...) pass through. schemas/rule.schema.json is generated from this schema.
 */
import * as z from 'zod';
import { describeDuration, parseIsoDuration } from '../core/duration.js';
import { TACTIC_NAMES, TECHNIQUE_ID } from './mitre.js';
import { parseTemplate, type Template } from './template.js';

/** Milliseconds; `positive` durations of zero are refused (a zero period or frequency never hunts). */
const isoDuration = (fallback: string, { positive }: { readonly positive: boolean }) =>
  z
    .string()
    .default(fallback)
    .refine((text) => parseIsoDuration(text) !== undefined, 'must be an ISO 8601 duration such as PT1H, P5D or P1DT12H')
    .transform((text) => parseIsoDuration(text) as number)
    .refine((ms) => !positive || ms > 0, 'must be longer than zero');

/** Upstream writes `tactics: CommandAndControl`; Sentinel's schema writes a list. Accept both. */
const oneOrMany = <T extends z.ZodType<string>>(item: T, example: string) =>
  z
    .union([item, z.array(item).min(1)], {
      error: (issue) => {
        if (issue.input === undefined) return 'required, but missing';
        // A single bad name: say what is wrong with it, not that it is not a list.
        if (typeof issue.input === 'string') return item.safeParse(issue.input).error?.issues[0]?.message;
        return `must be a name or a list of names, e.g. ${example}`;
      },
    })
    .transform((value): z.output<T>[] => (Array.isArray(value) ? value : [value]));

const tactic = z.enum(TACTIC_NAMES, { error: () => `must be a Sentinel tactic: ${TACTIC_NAMES.join(', ')}` });
const technique = z.string().regex(TECHNIQUE_ID, 'must be a MITRE ATT&CK technique id such as T1219 or T1219.001');

/** A `{{Column}}` format, parsed when the rule loads so a bad placeholder is reported at its line. */
const format = (description: string) =>
  z
    .string()
    .min(1)
    .describe(description)
    .transform((text, context): Template => {
      const parsed = parseTemplate(text);
      if ('template' in parsed) return parsed.template;
      context.issues.push({ code: 'custom', input: text, message: parsed.error });
      return z.NEVER;
    });

/** `*` any run of characters, `?` one; matched against the whole file name, ignoring case. */
const fileNamePattern = z.string().regex(/^[^\\/]+$/, 'must be a file name pattern such as tool*.exe (no folder)');
const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i, 'must be a DNS name such as relay.example.com (it matches its subdomains too)');

/** Sentinel entity types the hunter's evidence can fill (learn.microsoft.com/azure/sentinel/entities-reference). */
export const ALERT_ENTITY_TYPES = ['Host', 'Account', 'Process', 'File', 'FileHash', 'IP', 'URL'] as const;
export type AlertEntityType = (typeof ALERT_ENTITY_TYPES)[number];

/** A path relative to the rule file, to a KQL file beside it. */
const queryFile = (description: string) => z.string().min(1).regex(/\.kql$/i, 'must name a .kql file, relative to the rule file').describe(description);

/** A detection group name: rules that share one names the same (docs/rules.md, "Detection groups"). */
const groupName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'must be 1-63 letters, digits, dots, hyphens or underscores, starting with a letter or digit');

const testRows = z.array(z.record(z.string(), z.unknown())).min(1);

/**
 * One test case beside the rule (docs/rules.md, "Tests"): rows of the rule's table (`rows`) or of
 * several tables (`tables`), and whether the rule must raise them.
 */
const ruleTestCase = z
  .strictObject({
    name: z.string().min(1).describe('What the case shows, e.g. "the tool\'s signed installer" or "a browser visiting the vendor\'s site"'),
    expect: z.enum(['hit', 'none']).describe('hit: the rule must raise the test device; none: the rule must raise nothing (a look-alike)'),
    rows: testRows
      .optional()
      .describe("Rows of the rule's table (its first requiredDataConnectors data type); left-out columns get defaults (Timestamp an hour before the test run, DeviceId, DeviceName, ReportId, SHA1) or are empty"),
    tables: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a table name'), testRows)
      .optional()
      .describe('Rows per table, for a rule that reads more than its own table'),
  })
  .refine((test) => (test.rows === undefined) !== (test.tables === undefined), 'give either rows (of the rule\'s table) or tables (rows per table), not both');

export const ruleFileSchema = z.looseObject({
  id: z.uuid(),
  name: z.string().min(1),
  description: z.string().min(1),
  requiredDataConnectors: z
    .array(z.object({ connectorId: z.string().min(1), dataTypes: z.array(z.string().min(1)).min(1) }))
    .min(1),
  tactics: oneOrMany(tactic, 'CommandAndControl'),
  relevantTechniques: oneOrMany(technique, 'T1219'),
  query: z.string().min(1),
  severity: z.enum(['High', 'Medium', 'Low', 'Informational']).default('Medium'),
  queryFrequency: isoDuration('PT1H', { positive: true }),
  queryPeriod: isoDuration('P5D', { positive: true }),
  incidentConfiguration: z
    .object({
      groupingConfiguration: z
        .object({
          lookbackDuration: isoDuration('P7D', { positive: true }),
          reopenClosedIncident: z.boolean().default(false),
        })
        .prefault({}),
    })
    .prefault({}),
  windowConfiguration: z
    .object({
      overlap: isoDuration('PT1H', { positive: false }),
      ingestionDelay: isoDuration('PT15M', { positive: false }),
    })
    .prefault({}),
  // --- what the detection says (Sentinel fields) ---
  alertDetailsOverride: z
    .strictObject({
      alertDisplayNameFormat: format('Incident and alert title; {{DeviceName}} and {{DeviceId}} are filled from the hit. Default: the rule name, then "on {{DeviceName}}".').optional(),
      alertDescriptionFormat: format('Opening paragraph of the incident description and the alert description (Markdown). Default: the rule description.').optional(),
    })
    .prefault({}),
  tags: z
    .array(z.union([z.string().min(1), z.record(z.string(), z.unknown())]))
    .default([])
    .describe('Sentinel content tags; the text ones become incident labels, beside the techniques and the rule id'),
  // --- the hunter's own fields ---
  tool: z
    .strictObject({
      name: z.string().min(1).describe('The tool as analysts know it, e.g. its product name'),
      fileNames: z.array(fileNamePattern).default([]).describe('Names the tool ships under (wildcards); a tool binary named otherwise is a "renamed binary" red flag'),
      relayDomains: z.array(domainName).default([]).describe("The vendor's relay hosts (and their subdomains); a connection to one is a red flag"),
    })
    .optional()
    .describe('What the detected tool looks like, for the red flags of the incident'),
  contextQueryFile: queryFile('KQL that fetches the evidence of the hit devices (files, processes, connections); binds Time_start, Time_end, HitDeviceIds').optional(),
  deviceQueryFile: queryFile('KQL shown in the incident to hunt one device further; binds Time_start, Time_end, HitDeviceIds').optional(),
  triageChecklist: z
    .array(z.string().min(1))
    .default([])
    .describe('Markdown questions the analyst answers, one per legitimate use; the hunter adds the response step'),
  alertEntities: z
    .array(z.enum(ALERT_ENTITY_TYPES))
    .min(1)
    .refine((types) => new Set(types).size === types.length, 'names an entity type twice')
    .default([...ALERT_ENTITY_TYPES])
    .describe('Sentinel entity types the alert maps from the evidence, most important first'),
  detectionGroup: groupName
    .optional()
    .describe('Rules naming the same group raise one episode per device between them (e.g. the file, process and network rules of one tool). Default: the rule on its own'),
  tests: z
    .array(ruleTestCase)
    .default([])
    .describe('Test cases `hunter test` runs through the local evaluator: at least one that must hit and one look-alike that must not'),
}).superRefine((rule, context) => {
  // The window ends ingestionDelay before now and starts queryPeriod before now: a delay as long as
  // the period leaves nothing to read, and every run would report success having hunted nothing.
  if (rule.windowConfiguration.ingestionDelay >= rule.queryPeriod) {
    context.addIssue({
      code: 'custom',
      path: ['windowConfiguration', 'ingestionDelay'],
      message: `must be shorter than queryPeriod (${describeDuration(rule.queryPeriod)}), else the hunt window is empty and nothing is ever hunted`,
    });
  }
});

export type RuleFile = z.infer<typeof ruleFileSchema>;
export type RuleTestCase = z.infer<typeof ruleTestCase>;
