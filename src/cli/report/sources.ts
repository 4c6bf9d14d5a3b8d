// Reading the SQL files of `check` and `report` and preparing each statement before any API call
// (template variables filled in, analysed and planned with no I/O). Invariant: problems are
// collected, not thrown, so a user sees every broken file and statement at once.
import { SessqlError, toSessqlError } from '../../errors.js';
import type { Engine } from '../../engine/engine.js';
import type { TemplateVars } from '../../sql/template.js';
import { readStdin, readTextFile } from '../files.js';
import { prepare as prepareStatement, type Prepared } from '../runner/statement.js';
import { annotateScript, type AnnotatedFile, type AnnotatedStatement } from './annotate.js';

export type LoadedSource = { ok: true; source: AnnotatedFile } | { ok: false; file: string; error: SessqlError };

/** Reads and annotates each file (`-` reads stdin, once). A file with no statement is an error. */
export async function loadSources(files: string[]): Promise<LoadedSource[]> {
  const out: LoadedSource[] = [];
  let stdinUsed = false;
  for (const file of files) {
    try {
      if (file === '-' && stdinUsed) throw new SessqlError('INVALID_OPTION', 'stdin (-f -) can be read only once');
      const text = file === '-' ? await readStdin() : readTextFile(file);
      stdinUsed ||= file === '-';
      const source = annotateScript(text, file === '-' ? STDIN : file);
      if (source.statements.length === 0) {
        throw new SessqlError('INVALID_OPTION', `${file} holds no SQL statement`, {
          hint: 'statements end with ; and may be preceded by -- comments',
        });
      }
      out.push({ ok: true, source });
    } catch (e) {
      out.push({ ok: false, file: file === '-' ? STDIN : file, error: toSessqlError(e) });
    }
  }
  return out;
}

/** How statements read from stdin are named in messages and reports. */
export const STDIN = '<stdin>';

export type { Prepared };

/** A statement of a file prepared before any API call (see runner/statement.ts). */
export function prepare(engine: Engine, st: AnnotatedStatement, vars: TemplateVars): Prepared {
  return prepareStatement(engine, st.query, vars);
}

/**
 * The error with the statement's title and place in front of its message. Positions the engine
 * reports ("line 2, column 15") count from the statement's first keyword (the engine is given
 * `query`); they are turned into positions in the file.
 */
export function locate(err: SessqlError, st: Pick<AnnotatedStatement, 'file' | 'line' | 'column' | 'title'>): SessqlError {
  const message = err.message.replace(/\bline (\d+), column (\d+)/g, (_, l: string, c: string) => {
    const line = Number(l);
    return `line ${st.line + line - 1}, column ${line === 1 ? st.column + Number(c) - 1 : Number(c)}`;
  });
  return new SessqlError(err.code, `${st.file}:${st.line} '${st.title}': ${message}`, { hint: err.hint, cause: err, details: err.details });
}
