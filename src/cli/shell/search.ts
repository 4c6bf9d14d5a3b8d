// Ctrl-R reverse incremental history search for node:readline (which has none): typing narrows
// it, Ctrl-R finds an older match, Enter runs it, Ctrl-G restores the line, other keys keep it
// for editing. Invariant: outside a search every key reaches readline unchanged.
import type { Interface } from 'node:readline';
import { hasInternals, internals, setLine, type Key } from './readline-internals.js';

export class ReverseSearch {
  active = false;
  private query = '';
  private index = -1;
  private savedLine = '';
  private savedPrompt = '';

  constructor(
    private readonly rl: Interface,
    private readonly entries: () => string[],
    private readonly pass: (s: string | undefined, key: Key | undefined) => void,
  ) {}

  /** Handles a key while searching (or the Ctrl-R that starts a search). */
  key(s: string | undefined, key: Key = {}): void {
    if (key.ctrl && key.name === 'r') return this.active ? this.find(this.index + 1) : this.begin();
    if (key.ctrl && key.name === 'g') return this.end(this.savedLine);
    if (key.ctrl && key.name === 'c') {
      this.end(this.savedLine);
      return this.pass(s, key);
    }
    if (key.name === 'backspace') {
      this.query = this.query.slice(0, -1);
      return this.find(0);
    }
    if (key.name === 'return' || key.name === 'enter') {
      this.end(this.match() ?? this.savedLine);
      return this.pass(s, key);
    }
    if (s && !key.ctrl && !key.meta && s.length === 1 && s >= ' ') {
      this.query += s;
      return this.find(Math.max(0, this.index));
    }
    this.end(this.match() ?? this.savedLine);
    this.pass(s, key);
  }

  private begin(): void {
    this.active = true;
    this.query = '';
    this.index = -1;
    this.savedLine = this.rl.line;
    this.savedPrompt = this.rl.getPrompt();
    this.show();
  }

  /** The first entry from `from` on (older) that contains the query. */
  private find(from: number): void {
    const q = this.query.toLowerCase();
    const list = this.entries();
    let i = from;
    while (i < list.length && !list[i].toLowerCase().includes(q)) i++;
    if (i < list.length) this.index = i;
    this.show(i >= list.length);
  }

  private match(): string | undefined {
    return this.index >= 0 ? this.entries()[this.index] : undefined;
  }

  private show(failed = false): void {
    this.rl.setPrompt(`(${failed ? 'failed ' : ''}reverse-i-search)\`${this.query}': `);
    setLine(this.rl, this.match() ?? '');
  }

  private end(line: string): void {
    this.active = false;
    this.rl.setPrompt(this.savedPrompt);
    setLine(this.rl, line);
    internals(this.rl).historyIndex = -1;
  }
}

/** Hooks Ctrl-R into `rl`; returns false (and changes nothing) when readline lacks the hook. */
export function installReverseSearch(rl: Interface, entries: () => string[]): boolean {
  if (!hasInternals(rl)) return false;
  const r = internals(rl);
  const original = r._ttyWrite.bind(rl);
  const search = new ReverseSearch(rl, entries, original);
  r._ttyWrite = (s, key) => {
    if (search.active || (key?.ctrl && key.name === 'r')) search.key(s, key);
    else original(s, key);
  };
  return true;
}
