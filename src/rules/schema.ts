/**
 * The rule file: Sentinel analytic-rule YAML fields the hunter uses, plus its own optional
 * fields with documented defaults. Unknown Sentinel fields (entityMappings, version, ...) pass through.
 */
import * as z from 'zod';
import { describeDuration, parseIsoDuration } from '../core/duration.js';

/** Milliseconds; `positive` durations of zero are refused (a zero period or frequency never hunts). */
const isoDuration = (fallback: string, { positive }: { readonly positive: boolean }) =>
  z
    .string()
    .default(fallback)
    .refine((text) => parseIsoDuration(text) !== undefined, 'must be an ISO 8601 duration such as PT1H, P5D or P1DT12H')
    .transform((text) => parseIsoDuration(text) as number)
    .refine((ms) => !positive || ms > 0, 'must be longer than zero');

/** Upstream writes `tactics: CommandAndControl`; Sentinel's schema writes a list. Accept both. */
const oneOrMany = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: (issue) => (issue.input === undefined ? 'required, but missing' : 'must be a name or a list of names, e.g. CommandAndControl'),
  })
  .transform((value) => (typeof value === 'string' ? [value] : value));

export const ruleFileSchema = z.looseObject({
  id: z.uuid(),
  name: z.string().min(1),
  description: z.string().min(1),
  requiredDataConnectors: z
    .array(z.object({ connectorId: z.string().min(1), dataTypes: z.array(z.string().min(1)).min(1) }))
    .min(1),
  tactics: oneOrMany,
  relevantTechniques: oneOrMany,
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
