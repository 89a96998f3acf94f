/**
 * HUNT_SCHEDULE as the Azure Functions timer trigger reads it (learn.microsoft.com/azure/azure-functions/
 * functions-bindings-timer, "NCRONTAB expressions"): six fields, {second} {minute} {hour} {day} {month}
 * {day-of-week}, each `*`, a value, a range `a-b` or a list `a,b,...`, with an optional step `/n`;
 * months and days of the week also by English name or three-letter abbreviation, days numbered from
 * 0 (Sunday) to 6. A value out of its field's range used to be accepted here and only failed when the
 * host started, or was never noticed at all.
 */

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const FIELDS: readonly Field[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, names: DAYS },
];

const SHAPE = 'an NCRONTAB expression with six fields: {second} {minute} {hour} {day} {month} {day-of-week}, such as 0 0 * * * * (hourly)';

/** What is wrong with the expression, or undefined when the timer trigger accepts it. */
export function ncrontabProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) return `must be ${SHAPE}; this has ${parts.length} field${parts.length === 1 ? '' : 's'}`;
  for (const [index, field] of FIELDS.entries()) {
    const text = parts[index]!;
    for (const item of text.split(',')) {
      const problem = itemProblem(item, field);
      if (problem !== undefined) return `field ${index + 1} (${field.name}) ${JSON.stringify(text)}: ${problem}`;
    }
  }
  return undefined;
}

function itemProblem(item: string, field: Field): string | undefined {
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined) return 'at most one / per item';
  if (step !== undefined) {
    const stepValue = /^\d+$/.test(step) ? Number(step) : NaN;
    if (!(stepValue >= 1 && stepValue <= field.max)) return `the step must be 1 to ${field.max}`;
  }
  if (range === '*') return undefined;
  const [from = '', to, more] = range.split('-');
  if (more !== undefined) return 'a range is two values, such as 9-17';
  const start = valueOf(from, field);
  if (typeof start === 'string') return start;
  if (to === undefined) return undefined;
  const end = valueOf(to, field);
  if (typeof end === 'string') return end;
  return start <= end ? undefined : 'the range runs backwards';
}

function valueOf(text: string, field: Field): number | string {
  const byName = nameIndex(text, field);
  if (byName !== undefined) return byName;
  if (!/^\d+$/.test(text)) {
    const names = field.names ? `, or a name such as ${field.names[1]!.slice(0, 3)} or ${field.names[1]}` : '';
    return `${JSON.stringify(text)} is not a number${names}`;
  }
  const value = Number(text);
  if (value < field.min || value > field.max) return `${value} is outside ${field.min}-${field.max}${field.name === 'day-of-week' ? ' (0 is Sunday)' : ''}`;
  return value;
}

/** Names count from the field's minimum: January is 1, Sunday 0. Full or three-letter, any case. */
function nameIndex(text: string, field: Field): number | undefined {
  const lower = text.toLowerCase();
  const index = field.names?.findIndex((name) => name === lower || (lower.length === 3 && name.startsWith(lower)));
  return index === undefined || index < 0 ? undefined : field.min + index;
}
