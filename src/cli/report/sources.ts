// Reading the SQL files of `check` and `report` and preparing each statement before any API call
// (template variables filled in, analysed and planned with no I/O). Invariant: problems are
// collected, not thrown, so a user sees every broken file and statement at once.
import { readFileSync } from 'node:fs';
import { SessqlError, toSessqlError } from '../../errors.js';
import type { Engine } from '../../engine/engine.js';
import { significant, tokenize } from '../../sql/lexer.js';
import { renderTemplate, type TemplateVars } from '../../sql/template.js';
import { readStdin } from '../io.js';
import { annotateScript, type AnnotatedFile, type AnnotatedStatement } from './annotate.js';

export type LoadedSource = { ok: true; source: AnnotatedFile } | { ok: false; file: string; error: SessqlError };

/** Reads and annotates each file (`-` reads stdin, once). A file with no statement is an error. */
export async function loadSources(files: string[]): Promise<LoadedSource[]> {
  const out: LoadedSource[] = [];
  let stdinUsed = false;
  for (const file of files) {
    try {
      if (file === '-' && stdinUsed) throw new SessqlError('INVALID_OPTION', 'stdin (-f -) can be read only once');
      const text = file === '-' ? await readStdin() : readSqlFile(file);
      stdinUsed ||= file === '-';
      const source = annotateScript(text, file === '-' ? STDIN : file);
      if (source.statements.length === 0) {
        throw new SessqlError('INVALID_OPTION', `${file} holds no SQL statement`, { hint: 'statements end with ; and may be preceded by -- comments' });
      }
      out.push({ ok: true, source });
    } catch (e) {
      out.push({ ok: false, file: file === '-' ? STDIN : file, error: toSessqlError(e) });
    }
  }
  return out;
}

function readSqlFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw new SessqlError('INVALID_OPTION', `cannot read ${path}: ${why}`);
  }
}

/** How statements read from stdin are named in messages and reports. */
export const STDIN = '<stdin>';

const QUERY_WORDS = new Set(['SELECT', 'WITH', 'VALUES']);

/** True when the statement is a SELECT/WITH/VALUES query (not SHOW, DESCRIBE, EXPLAIN, EXEC). */
export function isQuery(sql: string): boolean {
  const first = significant(tokenize(sql))[0];
  return first?.kind === 'word' && QUERY_WORDS.has(first.text.toUpperCase());
}

export type Prepared = { ok: true; sql: string } | { ok: false; error: SessqlError };

/**
 * The SQL to run for a statement: template variables (`{{ name }}`, from --var/--vars-file)
 * filled in, then analysed and planned without I/O, so unknown tables, unsupported SQL, missing
 * variables and missing parameters surface before any fetch. Metadata statements are analysed
 * when they run (they do no I/O either).
 */
export function prepare(engine: Engine, st: AnnotatedStatement, vars: TemplateVars): Prepared {
  try {
    const sql = renderTemplate(st.query, vars);
    if (isQuery(sql)) engine.explain(sql);
    return { ok: true, sql };
  } catch (e) {
    return { ok: false, error: toSessqlError(e) };
  }
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
