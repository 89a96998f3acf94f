// Queries over a wide table that keep few of its columns, with the same work written by hand: they
// show what a row costs when the evaluator carries every column of the table instead of those read.
import type { ProcessRow } from './processes.js';
import { NOW } from './world.js';

type Out = Record<string, unknown>;

export interface WideShape {
  readonly id: string;
  readonly query: string;
  /** the rows the query returns, computed by hand */
  hand(rows: readonly ProcessRow[]): Out[];
  /** a small summary of the rows, for checking both agree without printing 200,000 rows */
  digest(rows: readonly Out[]): { rows: number; first: string; last: string };
}

const start = NOW.getTime() - 5 * 86_400_000;
const window = `between (datetime(${new Date(start).toISOString()}) .. datetime(${NOW.toISOString()}))`;
const inWindow = (r: ProcessRow) => r.Timestamp.getTime() >= start && r.Timestamp.getTime() <= NOW.getTime();
const text = (r: Out | undefined) => (r ? JSON.stringify(Object.values(r).map((v) => (v instanceof Date ? v.getTime() : v))) : '');
const digest = (rows: readonly Out[]) => ({ rows: rows.length, first: text(rows[0]), last: text(rows.at(-1)) });

export const WIDE_SHAPES: readonly WideShape[] = [
  {
    // sort holds every row of its input until the end
    id: 'sort',
    query: `DeviceProcessEvents | where Timestamp ${window} | extend Folder = tolower(FolderPath) | sort by Timestamp desc | project Timestamp, DeviceName, FileName, Folder`,
    hand: (rows) =>
      rows
        .filter(inWindow)
        .map((r) => ({ Timestamp: r.Timestamp, DeviceName: r.DeviceName, FileName: r.FileName, Folder: r.FolderPath.toLowerCase() }))
        .sort((a, b) => b.Timestamp.getTime() - a.Timestamp.getTime()),
    digest,
  },
  {
    // extend copies each row to add its column; the filter then drops most of them
    id: 'extend',
    query: `DeviceProcessEvents | extend Exe = tolower(FileName), User = strcat(AccountDomain, '\\\\', AccountName) | where Exe == 'aa_v3.exe' | project Timestamp, DeviceName, User`,
    hand: (rows) => {
      const out: Out[] = [];
      for (const r of rows) {
        const exe = r.FileName.toLowerCase();
        const user = `${r.AccountDomain}\\${r.AccountName}`;
        if (exe === 'aa_v3.exe') out.push({ Timestamp: r.Timestamp, DeviceName: r.DeviceName, User: user });
      }
      return out;
    },
    digest,
  },
];
