// Meta-commands (`.help`, `.tables`, `.describe`, `.output`, `.timing`, `.vars`, `.set`, `.cache`,
// `.explain`, `.quit`), the same in the shell, in files and on stdin. Each is one entry of a
// Record, so help, completion and dispatch can never disagree about which commands exist.
import { SessqlError } from '../../errors.js';
import { outputFormats, type OutputFormat } from '../../output/render.js';
import type { Session } from './session.js';

export interface MetaCommand {
  usage: string;
  summary: string;
  /** What the first argument completes to in the shell. */
  completes?: 'tables' | readonly string[];
  run(s: Session, args: string[], signal?: AbortSignal): void | Promise<void>;
}

const ON_OFF = ['on', 'off'] as const;

function usageError(cmd: string, message: string): SessqlError {
  return new SessqlError('INVALID_OPTION', `${message}`, { hint: `usage: ${META_COMMANDS[cmd]?.usage ?? cmd}` });
}

function onOff(cmd: string, args: string[]): boolean {
  const v = args[0]?.toLowerCase();
  if (v === 'on' || v === 'true' || v === '1') return true;
  if (v === 'off' || v === 'false' || v === '0') return false;
  throw usageError(cmd, `.${cmd} takes on or off, not '${args[0] ?? ''}'`);
}

/** A toggle: with no argument it prints its state, else sets it. */
function toggle(key: 'timing' | 'explain', summary: string): MetaCommand {
  return {
    usage: `.${key} on|off`,
    summary,
    completes: ON_OFF,
    run: (s, args) => {
      if (args.length === 0) s.io.out(`${key}: ${s.state[key] ? 'on' : 'off'}\n`);
      else s.state[key] = onOff(key, args);
    },
  };
}

/**
 * Case-insensitive `*`/`?` glob when the pattern has them — matched against the whole id or the
 * part after any dot (`vpn.u*`, `*sessions`) — else a substring match.
 */
export function matchesPattern(id: string, pattern: string | undefined): boolean {
  if (!pattern) return true;
  const p = pattern.toLowerCase();
  const lower = id.toLowerCase();
  if (!/[*?]/.test(p)) return lower.includes(p);
  const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const parts = lower.split('.');
  return parts.some((_, i) => re.test(parts.slice(i).join('.')));
}

function tables(s: Session, args: string[]): void {
  const catalog = s.engine.catalog;
  const rows = catalog
    .resourceIds()
    .filter((id) => matchesPattern(id, args[0]))
    .map((id) => [id, catalog.find(id)?.spec.title ?? '']);
  s.print({ columns: ['table', 'title'], rows });
}

function setVar(s: Session, args: string[]): void {
  const [name, ...value] = args;
  if (!name || value.length === 0) throw usageError('set', '.set needs a name and a value');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw usageError('set', `'${name}' is not a valid variable name`);
  s.state.vars[name] = value.join(' ');
}

function unsetVar(s: Session, args: string[]): void {
  if (!args[0]) throw usageError('unset', '.unset needs a variable name');
  delete s.state.vars[args[0]];
}

function output(s: Session, args: string[]): void {
  if (args.length === 0) return void s.io.out(`output: ${s.state.output}\n`);
  const format = args[0].toLowerCase();
  if (!(outputFormats as readonly string[]).includes(format)) {
    throw usageError('output', `unknown output format '${args[0]}' (choose ${outputFormats.join(', ')})`);
  }
  s.state.output = format as OutputFormat;
}

function cache(s: Session, args: string[]): void {
  const c = s.engine.cache;
  const [action, value] = [args[0]?.toLowerCase(), args[1]];
  if (action === undefined) {
    s.io.out(`cache: ${c.enabled ? 'on' : 'off'}, ttl ${c.ttlMs / 1000} s, ${c.size} fetch${c.size === 1 ? '' : 'es'} cached\n`);
  } else if (action === 'on' || action === 'off') {
    c.enabled = action === 'on';
    if (!c.enabled) c.clear();
  } else if (action === 'clear') {
    const n = c.size;
    c.clear();
    s.io.err(`cache cleared (${n} fetch${n === 1 ? '' : 'es'})\n`);
  } else if (action === 'ttl' && value !== undefined && /^\d+(\.\d+)?$/.test(value)) {
    c.ttlMs = Number(value) * 1000;
  } else {
    throw usageError('cache', `.cache takes on, off, clear or ttl <seconds>, not '${args.join(' ')}'`);
  }
}

function help(s: Session): void {
  const width = Math.max(...Object.values(META_COMMANDS).map((c) => c.usage.length));
  const lines = Object.values(META_COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  s.io.out(
    [
      'Statements end with ; and may span lines. Ctrl-C cancels a running statement, Ctrl-R searches',
      'the history, Tab completes keywords, tables and their columns; Ctrl-D or .quit exits.',
      '',
      ...lines,
      '',
      'Statements: SELECT / WITH, SHOW PROVIDERS, SHOW SERVICES IN p, SHOW RESOURCES IN p.s,',
      'DESCRIBE [EXTENDED] p.s.r, EXPLAIN <query>. Template variables: {{ name }} (see .set).',
      '',
    ].join('\n'),
  );
}

export const META_COMMANDS: Record<string, MetaCommand> = {
  help: { usage: '.help', summary: 'show this help', run: help },
  tables: { usage: '.tables [pattern]', summary: 'list tables (substring, or glob with * and ?)', completes: 'tables', run: tables },
  describe: {
    usage: '.describe <table>',
    summary: "a table's columns and parameters (DESCRIBE)",
    completes: 'tables',
    run: (s, args, signal) => {
      if (!args.length) throw usageError('describe', '.describe needs a table name');
      return s.runSql(`DESCRIBE ${args.join(' ')}`, signal);
    },
  },
  output: { usage: `.output ${outputFormats.join('|')}`, summary: 'result format', completes: outputFormats, run: output },
  timing: toggle('timing', 'print time and API calls (and cache hits) after each statement'),
  explain: toggle('explain', 'print the plan of each query instead of running it (no API calls)'),
  vars: {
    usage: '.vars',
    summary: 'list template variables',
    run: (s) => s.print({ columns: ['name', 'value'], rows: Object.entries(s.state.vars).map(([k, v]) => [k, v]) }),
  },
  set: { usage: '.set <name> <value>', summary: 'set a template variable used as {{ name }}', run: setVar },
  unset: { usage: '.unset <name>', summary: 'remove a template variable', run: unsetVar },
  cache: {
    usage: '.cache [on|off|clear|ttl <seconds>]',
    summary: 'show or change the results cache',
    completes: ['on', 'off', 'clear', 'ttl'],
    run: cache,
  },
  quit: {
    usage: '.quit',
    summary: 'leave (also .exit, Ctrl-D)',
    run: (s) => {
      s.quit = true;
    },
  },
};

const ALIASES: Record<string, string> = { exit: 'quit', q: 'quit', mode: 'output', d: 'describe', h: 'help', '?': 'help' };

/** Splits arguments on blanks; single or double quotes keep blanks (a doubled quote is one quote). */
export function metaArgs(text: string): string[] {
  const args: string[] = [];
  const re = /'((?:[^']|'')*)'|"((?:[^"]|"")*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    args.push(m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2] !== undefined ? m[2].replace(/""/g, '"') : m[3]);
  }
  return args;
}

export function resolveMeta(name: string): MetaCommand | undefined {
  const key = name.toLowerCase();
  return META_COMMANDS[ALIASES[key] ?? key];
}

/** Runs one meta-command line (without its leading blanks), e.g. `.set since 2026-01-01`. */
export async function runMeta(s: Session, line: string, signal?: AbortSignal): Promise<void> {
  const [word, ...args] = metaArgs(line.trim().slice(1));
  const cmd = resolveMeta(word ?? '');
  if (!cmd) {
    throw new SessqlError('INVALID_OPTION', `unknown meta-command '.${word ?? ''}'`, { hint: '.help lists the meta-commands' });
  }
  await cmd.run(s, args, signal);
}
