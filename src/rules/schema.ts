/**
 * The rule file: Sentinel analytic-rule YAML fields the hunter uses, plus its own optional
 * fields with documented defaults. Unknown Sentinel fields (entityMappings, version, ...) pass through.
 */
import * as z from 'zod';
import { parseIsoDuration } from '../core/duration.js';

const isoDuration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((text) => parseIsoDuration(text) !== undefined, 'must be an ISO 8601 duration such as PT1H, P5D or P1DT12H')
    .transform((text) => parseIsoDuration(text) as number);

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
  queryFrequency: isoDuration('PT1H'),
  queryPeriod: isoDuration('P5D'),
  incidentConfiguration: z
    .object({
      groupingConfiguration: z
        .object({
          lookbackDuration: isoDuration('P7D'),
          reopenClosedIncident: z.boolean().default(false),
        })
        .prefault({}),
    })
    .prefault({}),
  windowConfiguration: z
    .object({
      overlap: isoDuration('PT1H'),
      ingestionDelay: isoDuration('PT15M'),
    })
    .prefault({}),
});

export type RuleFile = z.infer<typeof ruleFileSchema>;
