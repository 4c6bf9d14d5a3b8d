// Scripts: splits input into meta-command lines and SQL statements (the lexer decides where a
// statement ends, so `;` in strings and comments never splits); runScript (session.ts) runs them.
// Invariant: a statement runs only once its terminating `;` (or the end of the input) was read.
import { LexError, splitStatements, tokenize, type Token } from '../../sql/lexer.js';

/** Where an item starts: the source's name (file, `<stdin>`, `<argument>`) and its 1-based line. */
export interface Where {
  source: string;
  line: number;
}

/** A line whose first non-blank character is `.` (sqlite3) or `\` (psql's `\x`) is a meta-command. */
const META_LINE = /^\s*[.\\]/;

export type ScriptItem = { kind: 'meta'; text: string; where: Where } | { kind: 'sql'; text: string; where: Where };

/** Tokens of `text`, or undefined while a string, quoted name or comment is still open. */
function tryTokenize(text: string): Token[] | undefined {
  try {
    return tokenize(text);
  } catch (e) {
    if (e instanceof LexError) return undefined;
    throw e;
  }
}

/** True when `text` holds nothing but whitespace and complete comments. */
export function isBlank(text: string): boolean {
  const tokens = tryTokenize(text);
  return tokens !== undefined && tokens.every((t) => t.kind === 'ws' || t.kind === 'comment');
}

/** Offset of the first token that is neither whitespace nor a comment (0 if none). */
function contentStart(text: string): number {
  return tryTokenize(text)?.find((t) => t.kind !== 'ws' && t.kind !== 'comment')?.start ?? 0;
}

function newlines(text: string): number {
  let n = 0;
  for (const c of text) if (c === '\n') n++;
  return n;
}

/** Splits a meta-command line at its first `;` outside quotes: `.timing on; SELECT 1`. */
export function cutMetaLine(line: string): { command: string; rest: string } {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) quote = c === quote ? '' : quote;
    else if (c === "'" || c === '"') quote = c;
    else if (c === ';') return { command: line.slice(0, i).trim(), rest: line.slice(i + 1) };
  }
  return { command: line.trim(), rest: '' };
}

/**
 * Incremental reader: feed it lines, get back the items they complete. A line whose first
 * non-blank character is `.` is a meta-command when no statement is pending (also after the
 * `;` of a statement on the same line); other lines accumulate until a top-level `;`.
 */
export class ScriptReader {
  private pending = '';
  private startLine = 1;
  private lineNo = 0;

  constructor(private readonly source = '<input>') {}

  /** True while a statement is being written (the shell's continuation prompt). */
  get pendingStatement(): boolean {
    return !isBlank(this.pending);
  }

  /** The text of the statement being written. */
  get pendingText(): string {
    return this.pending;
  }

  /** Forgets the statement being written (Ctrl-C in the shell). */
  reset(): void {
    this.pending = '';
  }

  push(line: string): ScriptItem[] {
    this.lineNo++;
    return this.feed(line);
  }

  /** The end of the input: an unterminated last statement still runs (as `sqlite3` does). */
  end(): ScriptItem[] {
    const text = this.pending;
    this.pending = '';
    if (isBlank(text)) return [];
    return [{ kind: 'sql', text: text.trim(), where: this.at(this.startLine + newlines(text.slice(0, contentStart(text)))) }];
  }

  private feed(line: string): ScriptItem[] {
    if (!this.pendingStatement && META_LINE.test(line)) return this.meta(line);
    if (isBlank(this.pending)) {
      this.startLine = this.lineNo - newlines(this.pending);
    }
    this.pending += `${line}\n`;
    return this.complete();
  }

  private meta(line: string): ScriptItem[] {
    this.pending = '';
    const { command, rest } = cutMetaLine(line);
    const items: ScriptItem[] = [{ kind: 'meta', text: command, where: this.at(this.lineNo) }];
    // what follows the `;` reads as the rest of the same line
    if (rest.trim()) items.push(...this.feed(rest));
    return items;
  }

  /** Takes every statement ended by a top-level `;` out of the pending text. */
  private complete(): ScriptItem[] {
    const tokens = tryTokenize(this.pending);
    const semi = tokens && [...tokens].reverse().find((t) => t.kind === 'punct' && t.text === ';');
    if (!semi) return [];
    const done = this.pending.slice(0, semi.end);
    const items = splitStatements(done).map((s): ScriptItem => ({
      kind: 'sql',
      text: s.text,
      where: this.at(this.startLine + newlines(done.slice(0, s.offset + contentStart(s.text)))),
    }));
    this.startLine += newlines(done);
    this.pending = this.pending.slice(semi.end);
    // `SELECT 1; .timing off`: a meta-command may follow the last statement on its line
    if (/^[ \t]*[.\\]/.test(this.pending)) items.push(...this.meta(this.pending.replace(/\n$/, '')));
    return items;
  }

  private at(line: number): Where {
    return { source: this.source, line };
  }
}

/** Every item of a whole text (a file, stdin, a command-line argument). */
export function parseScript(text: string, source = '<input>'): ScriptItem[] {
  const reader = new ScriptReader(source);
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return [...lines.flatMap((l) => reader.push(l)), ...reader.end()];
}

/** Items read line by line from a stream (batch mode reads stdin as it arrives). */
export async function* readScript(lines: AsyncIterable<string>, source: string): AsyncGenerator<ScriptItem> {
  const reader = new ScriptReader(source);
  for await (const line of lines) yield* reader.push(line);
  yield* reader.end();
}
