// Template variables: `{{ name }}` and `{{ .name }}` (stackql's and Go's spellings) are replaced
// before parsing. Inside a SQL string literal the value is escaped so it can never end the
// literal; elsewhere a number is inserted as is and anything else becomes a quoted string.
import { SessqlError } from '../errors.js';

const TEMPLATE = /\{\{\s*\.?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export type TemplateVars = Record<string, string>;

/** Names used by a SQL text (outside comments), in order of first use. */
export function templateNames(sql: string): string[] {
  const names: string[] = [];
  forEachTemplate(sql, (name) => {
    if (!names.includes(name)) names.push(name);
    return '';
  });
  return names;
}

export function renderTemplate(sql: string, vars: TemplateVars): string {
  const missing = templateNames(sql).filter((n) => vars[n] === undefined);
  if (missing.length) {
    throw new SessqlError('MISSING_TEMPLATE_VARIABLE', `no value for template variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      hint: `pass ${missing.map((n) => `--var ${n}=<value>`).join(' ')} (or --vars-file vars.yaml; in the shell: .set ${missing[0]} <value>)`,
    });
  }
  return forEachTemplate(sql, (name, inString) => {
    const value = vars[name];
    if (inString) return value.replace(/'/g, "''");
    return /^-?\d+(\.\d+)?$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
  });
}

/** Walks the SQL, calling `replace` for each template outside comments; returns the new text. */
function forEachTemplate(sql: string, replace: (name: string, inString: boolean) => string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < sql.length) {
    const c = sql[i];
    if (!inString && c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? sql.length : j;
      out += sql.slice(i, end);
      i = end;
    } else if (!inString && c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      const end = j < 0 ? sql.length : j + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (c === "'") {
      // a doubled quote inside a literal is an escaped quote, not the end
      if (inString && sql[i + 1] === "'") {
        out += "''";
        i += 2;
        continue;
      }
      inString = !inString;
      out += c;
      i++;
    } else if (c === '{' && sql[i + 1] === '{') {
      TEMPLATE.lastIndex = i;
      const m = TEMPLATE.exec(sql);
      if (m && m.index === i) {
        out += replace(m[1], inString);
        i += m[0].length;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
