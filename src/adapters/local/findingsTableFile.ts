/** The findings table for local runs: `<out>/tables/AmmyyHunterFindings_CL.jsonl` (see ./tableFile.ts). */
import { FINDINGS_TABLE_NAME } from '../../findings/findingsTable.js';
import { LocalTableFile } from './tableFile.js';

export { tablesDir } from './tableFile.js';

export class FindingsTableFile extends LocalTableFile {
  /** `dir`: a folder of table files (see tablesDir). */
  constructor(dir: string) {
    super(dir, FINDINGS_TABLE_NAME);
  }
}
