// Statement titles and directives for `check` and `report`: the comment block directly above a
// statement names it and may carry `-- chart: bar|line` (rules: docs/ci-and-reports.md).
// Invariant: only comments are read; the SQL handed to the engine is the statement as written.
import { SessqlError } from '../../errors.js';
import { LexError, lineColumn, splitStatements, tokenize, type StatementText, type Token } from '../../sql/lexer.js';

export const chartKinds = ['bar', 'line'] as const;
export type ChartKind = (typeof chartKinds)[number];

export interface AnnotatedStatement {
  /** The statement as written (its leading comments included), without the `;`. */
  sql: string;
  /** The statement from its first keyword: what reports and JUnit show. */
  query: string;
  /** The file it came from, as the user named it (`-` for stdin). */
  file: string;
  /** 1-based line and column of the statement's first keyword in its file. */
  line: number;
  column: number;
  /** 1-based position of the statement in its file. */
  index: number;
  title: string;
  /** Where the title came from: a directive, the first plain comment line, or the SQL itself. */
  titleFrom: 'directive' | 'comment' | 'sql';
  /** Plain comment lines of the block other than the title. */
  description: string[];
  chart?: ChartKind;
}

export interface AnnotatedFile {
  file: string;
  statements: AnnotatedStatement[];
  /** `-- report: <title>` in the comments before the file's first statement. */
  reportTitle?: string;
}

const DIRECTIVE = /^(check|title|chart|report)\s*:\s*(.*)$/i;
// Comment lines made only of rule characters (`-- -----`, `/* ==== */`) are decoration.
const RULE = /^[-=*#_~+.\s]*$/;
const FALLBACK_TITLE_CHARS = 72;

/** Splits a script into statements with their titles and directives. */
export function annotateScript(script: string, file: string): AnnotatedFile {
  let statements: StatementText[];
  try {
    statements = splitStatements(script);
  } catch (e) {
    if (e instanceof LexError) {
      const { line, column } = lineColumn(script, e.position);
      throw new SessqlError('SQL_SYNTAX', `${file}:${line}:${column}: ${e.message}`);
    }
    throw e;
  }
  let reportTitle: string | undefined;
  const out = statements.map((s, i) => {
    const prevEnd = i === 0 ? 0 : statements[i - 1].offset + statements[i - 1].text.length;
    // a comment on the same line as the previous statement's `;` belongs to that statement
    const trailingFirst = i > 0 && !script.slice(prevEnd, s.offset).includes('\n');
    const lead = leadingComments(s.text, trailingFirst);
    const { line, column } = lineColumn(script, s.offset + lead.keywordAt);
    if (i === 0) reportTitle = lead.all.map(parseLine).find((l) => l.directive === 'report' && l.value)?.value;
    return annotate(s.text, lead, { file, line, column, index: i + 1 });
  });
  return { file, statements: out, reportTitle };
}

interface Leading {
  /** Comment lines of the block directly above the statement (empty when there is none). */
  block: string[];
  /** Every leading comment line, in every block. */
  all: string[];
  /** Offset of the first keyword in the statement text. */
  keywordAt: number;
}

/** The statement's leading comments, grouped in blocks that blank lines separate. */
function leadingComments(text: string, dropFirstComment: boolean): Leading {
  const tokens: Token[] = tokenize(text);
  const blocks: string[][] = [[]];
  let drop = dropFirstComment;
  let keywordAt = text.length;
  let gapLines = 0;
  for (const t of tokens) {
    if (t.kind === 'ws') {
      gapLines = newlines(t.text);
      if (gapLines >= 2 && blocks[blocks.length - 1].length) blocks.push([]);
    } else if (t.kind === 'comment') {
      if (drop) {
        drop = false;
        blocks.push([]);
        continue;
      }
      // a block comment may start a new block only after a blank line, like a line comment
      blocks[blocks.length - 1].push(...commentLines(t.text));
      gapLines = 0;
    } else {
      keywordAt = t.start;
      break;
    }
  }
  const last = blocks[blocks.length - 1];
  // "directly above": no blank line between the block and the statement
  const block = last.length && gapLines < 2 ? last : [];
  return { block, all: blocks.flat(), keywordAt };
}

function newlines(s: string): number {
  return s.split('\n').length - 1;
}

/** The text lines of one comment token, markers and decoration removed. */
export function commentLines(comment: string): string[] {
  const line = comment.startsWith('--');
  const body = line ? comment.slice(2) : comment.slice(2, -2);
  return (
    body
      .split(/\r?\n/)
      // the ` * ` margin of a block comment's inner lines is decoration
      .map((l) => (line ? l : l.replace(/^\s*\*/, '')).trim())
      .filter((l) => l !== '' && !RULE.test(l))
  );
}

interface CommentLine {
  directive?: 'check' | 'title' | 'chart' | 'report';
  value: string;
}

function parseLine(line: string): CommentLine {
  const m = DIRECTIVE.exec(line);
  if (!m) return { value: line };
  return { directive: m[1].toLowerCase() as CommentLine['directive'], value: m[2].trim() };
}

function annotate(sql: string, lead: Leading, at: { file: string; line: number; column: number; index: number }): AnnotatedStatement {
  const lines = lead.block.map(parseLine);
  const named = lines.find((l) => (l.directive === 'check' || l.directive === 'title') && l.value);
  const plain = lines.filter((l) => !l.directive).map((l) => l.value);
  const chartLine = lines.find((l) => l.directive === 'chart');
  let chart: ChartKind | undefined;
  if (chartLine) {
    const kind = chartLine.value.toLowerCase();
    if (!(chartKinds as readonly string[]).includes(kind)) {
      throw new SessqlError('INVALID_OPTION', `${at.file}:${at.line}: unknown chart kind '${chartLine.value}'`, {
        hint: `write -- chart: ${chartKinds.join(' or -- chart: ')} in the comment above the statement`,
      });
    }
    chart = kind as ChartKind;
  }
  const base = { sql, query: sql.slice(lead.keywordAt), ...at, chart };
  if (named) return { ...base, title: named.value, titleFrom: 'directive', description: plain };
  if (plain.length) return { ...base, title: plain[0], titleFrom: 'comment', description: plain.slice(1) };
  return { ...base, title: fallbackTitle(base.query), titleFrom: 'sql', description: [] };
}

/** The statement's own text on one line, shortened: a title for statements with no comment. */
function fallbackTitle(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > FALLBACK_TITLE_CHARS ? `${chars.slice(0, FALLBACK_TITLE_CHARS - 1).join('')}…` : flat;
}
