// Bracketed paste: the terminal marks pasted text, so a tab inside a pasted query is inserted
// as a tab instead of triggering completion. Invariant: the mode is switched off again (the
// returned function) before the shell gives the terminal back.
import type { Interface } from 'node:readline';
import { hasInternals, internals } from './readline-internals.js';

const ON = '\u001b[?2004h';
const OFF = '\u001b[?2004l';

export function installBracketedPaste(rl: Interface, output: NodeJS.WritableStream): () => void {
  if (!hasInternals(rl)) return () => {};
  const r = internals(rl);
  const next = r._ttyWrite.bind(rl);
  let pasting = false;
  r._ttyWrite = (s, key) => {
    if (key?.name === 'paste-start' || key?.name === 'paste-end') {
      pasting = key.name === 'paste-start';
      return;
    }
    // a key without a name is inserted as typed text
    if (pasting && key?.name === 'tab') return next('\t', { sequence: '\t' });
    next(s, key);
  };
  output.write(ON);
  let on = true;
  const off = () => {
    if (on) output.write(OFF);
    on = false;
  };
  process.once('exit', off);
  return () => {
    process.off('exit', off);
    off();
  };
}
