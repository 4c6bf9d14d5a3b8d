// Shell history in $XDG_STATE_HOME/sessql/history (default ~/.local/state/sessql/history), loaded
// at start and appended per entry. Invariants: newest first in memory (readline's order), at most
// `cap` entries, the file is private (0600), and an unwritable file never stops the shell.
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { tokenize, type Token } from '../../sql/lexer.js';

/** The history file: XDG_STATE_HOME when it is an absolute path (as the XDG spec asks), else ~/.local/state. */
export function historyPath(env: Record<string, string | undefined> = process.env, home = homedir()): string {
  const state = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(state, 'sessql', 'history');
}

/**
 * One line for a multi-line statement: line breaks become spaces and `-- comments` become
 * `/* comments *\/`, so the recalled line means the same SQL.
 */
export function oneLine(text: string): string {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch {
    return text.replace(/\s*\n\s*/g, ' ').trim();
  }
  return tokens
    .map((t) => {
      if (t.kind === 'ws') return t.text.includes('\n') ? ' ' : t.text;
      if (t.kind === 'comment' && t.text.startsWith('--')) return t.text.includes('*/') ? '' : `/*${t.text.slice(2)} */`;
      return t.text;
    })
    .join('')
    .trim();
}

export interface HistoryOptions {
  cap?: number;
  onError?: (message: string) => void;
}

export class History {
  /** Newest first; shared with readline (it reads this very array for Up/Down). */
  readonly entries: string[] = [];
  private readonly cap: number;
  private failed = false;

  constructor(
    private readonly file: string | undefined,
    private readonly options: HistoryOptions = {},
  ) {
    this.cap = options.cap ?? 1000;
  }

  /** Reads the file (a missing file is an empty history); rewrites it when it grew past twice the cap. */
  load(): void {
    if (!this.file || !existsSync(this.file)) return;
    try {
      const lines = readFileSync(this.file, 'utf8')
        .split('\n')
        .filter((l) => l.trim());
      const kept = lines.slice(-this.cap);
      this.entries.splice(0, this.entries.length, ...kept.reverse());
      if (lines.length > 2 * this.cap) writeFileSync(this.file, `${[...this.entries].reverse().join('\n')}\n`, { mode: 0o600 });
    } catch (e) {
      this.fail(e);
    }
  }

  /** Adds an entry (not a blank one, nor a repeat of the newest) and appends it to the file. */
  add(entry: string): void {
    const text = entry.trim();
    if (!text || this.entries[0] === text) return;
    this.entries.unshift(text);
    if (this.entries.length > this.cap) this.entries.length = this.cap;
    // an entry with a line break (inside a string literal) stays in memory only
    if (this.file && !text.includes('\n')) this.append(text);
  }

  private append(text: string): void {
    if (this.failed) return;
    try {
      const fresh = !existsSync(this.file!);
      if (fresh) mkdirSync(dirname(this.file!), { recursive: true, mode: 0o700 });
      appendFileSync(this.file!, `${text}\n`, { mode: 0o600 });
      if (fresh) chmodSync(this.file!, 0o600);
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.options.onError?.(`history file ${this.file} is not usable (${(e as Error).message}); history is kept for this session only`);
  }
}
