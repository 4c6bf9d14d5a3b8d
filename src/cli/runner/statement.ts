// What kind of statement a text is, and preparing a statement before any API call — shared by
// exec, the shell, check and report. Invariant: preparing does no I/O.
import { SessqlError, toSessqlError } from '../../errors.js';
import type { Engine } from '../../engine/engine.js';
import { significant, tokenize } from '../../sql/lexer.js';
import { renderTemplate, type TemplateVars } from '../../sql/template.js';

const QUERY_START = new Set(['select', 'with', 'values']);

/** True for a statement that fetches (SELECT, WITH, VALUES), as opposed to SHOW/DESCRIBE/EXPLAIN/EXEC. */
export function isQuery(sql: string): boolean {
  try {
    const first = significant(tokenize(sql))[0];
    return first?.kind === 'word' && QUERY_START.has(first.text.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * The statement with `;` after its last token, so printed SQL can be pasted back even when it ends
 * in a line comment (`… -- required` becomes `…; -- required`).
 */
export function terminated(sql: string): string {
  const text = sql.trim();
  let tokens;
  try {
    tokens = tokenize(text);
  } catch {
    return `${text};`;
  }
  const last = [...tokens].reverse().find((t) => t.kind !== 'ws' && t.kind !== 'comment');
  if (!last) return text;
  if (last.kind === 'punct' && last.text === ';') return text;
  return `${text.slice(0, last.end)};${text.slice(last.end)}`;
}

export type Prepared = { ok: true; sql: string } | { ok: false; error: SessqlError };

/**
 * The SQL to run for a statement: template variables (`{{ name }}`, from --var/--vars-file)
 * filled in, then analysed and planned without I/O, so unknown tables, unsupported SQL, missing
 * variables and missing parameters surface before any fetch. Metadata statements are analysed
 * when they run (they do no I/O either).
 */
export function prepare(engine: Engine, query: string, vars: TemplateVars): Prepared {
  try {
    const sql = renderTemplate(query, vars);
    if (isQuery(sql)) engine.explain(sql);
    return { ok: true, sql };
  } catch (e) {
    return { ok: false, error: toSessqlError(e) };
  }
}
