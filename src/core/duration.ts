/**
 * ISO 8601 durations as Sentinel rule YAML writes them (`PT1H`, `P5D`, `P1DT12H`).
 * Years and months are refused: their length depends on the calendar.
 */
const isoDuration = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const msPer = { week: 7 * 86_400_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 } as const;

/** Milliseconds, or undefined when `text` is not a supported ISO 8601 duration. */
export function parseIsoDuration(text: string): number | undefined {
  const match = isoDuration.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  return (
    Number(weeks ?? 0) * msPer.week +
    Number(days ?? 0) * msPer.day +
    Number(hours ?? 0) * msPer.hour +
    Number(minutes ?? 0) * msPer.minute +
    Math.round(Number(seconds ?? 0) * msPer.second)
  );
}

/** A duration for people: `45 min`, `5 h 30 min`, `32 d 1 h`. */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / msPer.minute);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** The ISO 8601 form of whole seconds (`PT5M`, `P14D`, `P1DT12H`), as ARM templates and rule YAML write them. */
export function formatIsoDuration(ms: number): string {
  if (!Number.isInteger(ms / msPer.second) || ms <= 0) throw new Error(`${ms} ms is not a positive whole number of seconds`);
  const days = Math.floor(ms / msPer.day);
  let rest = ms - days * msPer.day;
  const hours = Math.floor(rest / msPer.hour);
  rest -= hours * msPer.hour;
  const minutes = Math.floor(rest / msPer.minute);
  const seconds = (rest - minutes * msPer.minute) / msPer.second;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
