// Compact column lists: `Name:type` separated by spaces, so a table reads like its documentation.
import type { ColumnSchema, KqlType } from '../types.js';

export function columns(spec: string): ColumnSchema[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((item) => {
      const [name, type] = item.split(':') as [string, KqlType];
      return { name, type };
    });
}

/** Columns every InitiatingProcess* block shares across Device* tables. */
export const INITIATING_PROCESS_VERSION_INFO =
  'InitiatingProcessVersionInfoCompanyName:string InitiatingProcessVersionInfoProductName:string ' +
  'InitiatingProcessVersionInfoProductVersion:string InitiatingProcessVersionInfoInternalFileName:string ' +
  'InitiatingProcessVersionInfoOriginalFileName:string InitiatingProcessVersionInfoFileDescription:string';
