/**
 * The exclusion file format. This zod schema is the single definition: the loader validates
 * with it and schemas/exclusions.schema.json is generated from it (`npm run gen:schemas`).
 */
import * as z from 'zod';
import type { EcsFieldName } from '../core/model.js';
import { ECS_FIELD_NAMES } from '../context/ecsFields.js';
import { cidrRangeProblem } from './cidr.js';

export const STRING_OPERATORS = ['equals', 'not_equals', 'in', 'includes', 'startswith', 'endswith', 'contains', 'matches'] as const;
export const OPERATORS = [...STRING_OPERATORS, 'cidr', 'exists'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface FieldCondition {
  readonly field: EcsFieldName;
  readonly equals?: string;
  readonly not_equals?: string;
  readonly in?: readonly string[];
  readonly includes?: string;
  readonly startswith?: string;
  readonly endswith?: string;
  readonly contains?: string;
  readonly matches?: string;
  readonly cidr?: string | readonly string[];
  readonly exists?: boolean;
  readonly case_sensitive?: boolean;
}
export interface AllCondition { readonly all: readonly Condition[] }
export interface AnyCondition { readonly any: readonly Condition[] }
export interface NotCondition { readonly not: Condition }
export type Condition = AllCondition | AnyCondition | NotCondition | FieldCondition;

const operand = z.string().min(1, 'must not be empty');
const cidrOperand = z.string().superRefine((text, context) => {
  const problem = cidrRangeProblem(text);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

export const fieldConditionSchema = z
  .strictObject({
    field: z.enum(ECS_FIELD_NAMES as [EcsFieldName, ...EcsFieldName[]]).describe('ECS field, mapped from Defender columns (docs/exclusions.md)'),
    equals: operand.optional().describe('Every value of the field equals this'),
    not_equals: operand.optional().describe('Every value of the field differs from this'),
    in: z.array(operand).min(1).optional().describe('Every value of the field equals one of these'),
    includes: operand.optional().describe('At least one value equals this (set membership, e.g. user.group); other values may be anything'),
    startswith: operand.optional(),
    endswith: operand.optional(),
    contains: operand.optional(),
    matches: operand.optional().describe('Wildcard pattern over the whole value: * any run of characters, ? one character'),
    cidr: z.union([cidrOperand, z.array(cidrOperand).min(1)]).optional().describe('Every value is an IP address inside one of these ranges (IPv4 or IPv6)'),
    exists: z.boolean().optional().describe('true: the field has at least one value; false: it has none'),
    case_sensitive: z.boolean().optional().describe('String comparisons ignore case unless this is true'),
  })
  .superRefine((condition, ctx) => {
    const present = OPERATORS.filter((operator) => condition[operator] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: present.length === 0
          ? `needs exactly one operator (${OPERATORS.join(', ')})`
          : `has several operators (${present.join(', ')}); combine them with all/any instead`,
      });
      return;
    }
    const [operator] = present;
    if (condition.case_sensitive !== undefined && (operator === 'cidr' || operator === 'exists')) {
      ctx.addIssue({ code: 'custom', path: ['case_sensitive'], message: `does not apply to ${operator}` });
    }
  });

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([allConditionSchema, anyConditionSchema, notConditionSchema, fieldConditionSchema]).meta({ id: 'Condition' }),
);
const allConditionSchema = z.strictObject({ all: z.array(conditionSchema).min(1).describe('Every condition holds') });
const anyConditionSchema = z.strictObject({ any: z.array(conditionSchema).min(1).describe('At least one condition holds') });
const notConditionSchema = z.strictObject({ not: conditionSchema.describe('The condition does not hold (a missing field stays unknown)') });

/** Which branch of the condition union an object meant to be, judged by its keys (for clear errors). */
export const CONDITION_BRANCH_KEYS = ['all', 'any', 'not', 'field'] as const;

export const exclusionEntrySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dot, dash or underscore'),
  description: z.string().min(1, 'must not be empty'),
  enabled: z.boolean(),
  expires: z.iso.date('must be a date YYYY-MM-DD').optional().describe('Last day (UTC) on which the exclusion applies'),
  owner: z.string().min(1).optional(),
  ticket: z.string().min(1).optional(),
  rules: z
    .array(z.string().min(1, 'must not be empty'))
    .min(1)
    .optional()
    .describe('The rules it applies to: rule ids or detection groups (e.g. rmm-anydesk); default every enabled rule'),
  when: conditionSchema.describe('Condition over one activity (one process instance of the detected tool)'),
});

export const exclusionFileSchema = z
  .strictObject({
    exclusions: z.array(exclusionEntrySchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.exclusions.forEach((entry, index) => {
      const first = seen.get(entry.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['exclusions', index, 'id'], message: `duplicates the id of exclusions[${first}]` });
      } else {
        seen.set(entry.id, index);
      }
    });
  });

export type ExclusionEntry = z.infer<typeof exclusionEntrySchema>;
export type ExclusionFile = z.infer<typeof exclusionFileSchema>;
