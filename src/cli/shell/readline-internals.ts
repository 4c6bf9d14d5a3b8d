// The node:readline internals the shell relies on, typed in one place (`_ttyWrite`, the keypress
// hook node's own REPL overrides; `line`, `cursor`, `historyIndex`, `_refreshLine`, `clearLine`).
// Invariant: callers check `hasInternals` and degrade (no Ctrl-R) rather than break.
import type { Interface } from 'node:readline';

export interface Key {
  sequence?: string;
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

export interface ReadlineInternals {
  line: string;
  cursor: number;
  history: string[];
  historyIndex: number;
  _ttyWrite(s: string | undefined, key: Key | undefined): void;
  _refreshLine(): void;
  clearLine(): void;
}

export function internals(rl: Interface): ReadlineInternals {
  return rl as unknown as ReadlineInternals;
}

export function hasInternals(rl: Interface): boolean {
  const r = internals(rl);
  return typeof r._ttyWrite === 'function' && typeof r._refreshLine === 'function' && typeof r.clearLine === 'function';
}

/** Replaces the edited line (cursor at its end) and redraws it. */
export function setLine(rl: Interface, text: string): void {
  const r = internals(rl);
  r.line = text;
  r.cursor = text.length;
  r._refreshLine();
}

/** Leaves the edited line on screen marked with `mark` (`^C`) and starts an empty one below. */
export function abandonLine(rl: Interface, output: NodeJS.WritableStream, mark: string): void {
  const r = internals(rl);
  if (!hasInternals(rl)) {
    output.write(`${mark}\n`);
    return;
  }
  r.cursor = r.line.length;
  r._refreshLine();
  output.write(mark);
  r.clearLine();
  r.historyIndex = -1;
}
