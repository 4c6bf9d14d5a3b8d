// The report as data, between running the statements and rendering them (HTML or Markdown).
// Invariant: sections keep every row the statement returned; renderers decide how many to show.
import { isNumeric, type ColumnHint, type ResultValue } from '../../output/values.js';
import type { ChartKind } from './annotate.js';

export interface ReportSection {
  title: string;
  description: string[];
  chart?: ChartKind;
  columns: string[];
  rows: ResultValue[][];
  /** Per column: booleans and JSON taken straight from a resource column. */
  types?: (ColumnHint | undefined)[];
  sql: string;
  file: string;
  line: number;
  /** Fan-out calls left out of the rows (--partial). */
  failedCalls?: number;
}

export interface Report {
  title: string;
  generatedAt: Date;
  /** `sessql <version>`. */
  generator: string;
  /** The SQL files, as named on the command line. */
  sources: string[];
  sections: ReportSection[];
  /** Most table rows shown per section ("…and N more rows" after). */
  maxRows: number;
}

export const isNumericColumn = (rows: ResultValue[][], i: number, types?: (ColumnHint | undefined)[]): boolean =>
  types?.[i] !== 'boolean' && rows.length > 0 && rows.every((r) => isNumeric(r[i]) || r[i] === null) && rows.some((r) => r[i] !== null);

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
