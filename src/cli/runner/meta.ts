// Meta-commands (`.help`, `.tables`, `.describe`, `.schema`, `.mode`, `.output`, `.once`, `.read`,
// `.headers`, `.vertical`/`\x`, `.timing`, `.vars`, `.set`, `.cache`, `.explain`, `.quit`), the same
// in the shell, in files, on stdin and as exec arguments. Each is one entry of a Record, so help,
// completion, argument checks and dispatch can never disagree about which commands exist.
import type { Engine } from '../../engine/engine.js';
import { SessqlError } from '../../errors.js';
import type { ResourceRef } from '../../manifest/catalog.js';
import { outputFormats, type OutputFormat, type RenderInput } from '../../output/render.js';
import { SQLITE_TYPE } from '../../rows/convert.js';
import { readTextFile } from '../files.js';
import type { SessionIO, SessionState } from './state.js';

/** What a meta-command may use of the session running it (Session implements it). */
export interface MetaHost {
  readonly engine: Engine;
  readonly state: SessionState;
  readonly io: SessionIO;
  quit: boolean;
  readonly destination: string | undefined;
  print(rs: RenderInput): void;
  info(text: string): void;
  runSql(sql: string, signal?: AbortSignal): Promise<void>;
  runFile(path: string, text: string, signal?: AbortSignal): Promise<void>;
  redirectTo(path: string, once: boolean): void;
  closeRedirect(): string | undefined;
}

type Session = MetaHost;

export interface MetaCommand {
  usage: string;
  summary: string;
  /** How many arguments it takes: [fewest, most]; more or fewer is a usage error. */
  args: readonly [number, number];
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
function toggle(key: 'timing' | 'explain' | 'headers', summary: string): MetaCommand {
  return {
    usage: `.${key} on|off`,
    summary,
    args: [0, 1],
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
  const re = new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  const parts = lower.split('.');
  return parts.some((_, i) => re.test(parts.slice(i).join('.')));
}

/**
 * A table name as typed after `.describe` or `.schema`: a full `provider.service.resource`, or the
 * unique table whose id ends with it (`sessions`, `vpn.sessions`). Ambiguous or unknown names are
 * errors listing the candidates.
 */
export function resolveTableName(engine: Engine, name: string, cmd: string): string {
  const ids = engine.catalog.resourceIds();
  const lower = name.toLowerCase();
  if (ids.includes(lower) || lower.split('.').length === 3) return name;
  const matches = ids.filter((id) => id.endsWith(`.${lower}`));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw usageError(cmd, `'${name}' names more than one table: ${matches.join(', ')}`);
  throw new SessqlError('UNKNOWN_TABLE', `no table named '${name}'`, { hint: '.tables lists the tables' });
}

function tables(s: Session, args: string[]): void {
  const catalog = s.engine.catalog;
  const rows = catalog
    .resourceIds()
    .filter((id) => matchesPattern(id, args[0]))
    .map((id) => [id, catalog.find(id)?.spec.title ?? '']);
  s.print({ columns: ['table', 'title'], rows });
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The CREATE-like view of a resource: its columns with SQLite types, then its parameter columns. */
export function schemaText(res: ResourceRef): string {
  const rowNames = new Set(res.spec.columns.map((c) => c.name.toLowerCase()));
  const lines = res.spec.columns.map((c) => {
    const p = res.spec.parameters[c.name];
    const fields = c.extract ? [c.extract.from] : c.from === undefined ? [] : [c.from].flat();
    const from = fields.length && (fields.length > 1 || fields[0] !== c.name) ? ` (API field ${fields.join(' or ')})` : '';
    const param = p ? ` Also a parameter${p.enum ? `: ${p.enum.join(', ')}` : ''}.` : '';
    return { def: `${c.name} ${SQLITE_TYPE[c.type]}`, note: `${oneLine(c.description)}${param}${from}` };
  });
  for (const [name, p] of Object.entries(res.spec.parameters)) {
    if (rowNames.has(name.toLowerCase())) continue;
    const enumNote = p.enum ? `: ${p.enum.join(', ')}` : '';
    lines.push({
      def: `${name} ${SQLITE_TYPE[p.type]}`,
      note: `parameter (${p.required ? 'required' : 'optional'}${enumNote}): ${oneLine(p.description)}`,
    });
  }
  const width = Math.max(...lines.map((l) => l.def.length)) + 1;
  const body = lines.map((l, i) => `  ${`${l.def}${i < lines.length - 1 ? ',' : ''}`.padEnd(width)}  -- ${l.note}`);
  return `CREATE TABLE ${res.id} (\n${body.join('\n')}\n);\n`;
}

function schema(s: Session, args: string[]): void {
  const ids = args[0] ? [resolveTableName(s.engine, args[0], 'schema')] : s.engine.catalog.resourceIds();
  const texts = ids.map((id) => {
    const res = s.engine.catalog.find(id);
    if (!res) throw new SessqlError('UNKNOWN_TABLE', `unknown table '${id}'`, { hint: '.tables lists the tables' });
    return schemaText(res);
  });
  s.io.out(texts.join('\n'));
}

function setVar(s: Session, args: string[]): void {
  const [name, ...value] = args;
  if (!name || value.length === 0) throw usageError('set', '.set needs a name and a value');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw usageError('set', `'${name}' is not a valid variable name`);
  s.state.vars[name] = value.join(' ');
}

function unsetVar(s: Session, args: string[]): void {
  delete s.state.vars[args[0]];
}

function isFormat(v: string): v is OutputFormat {
  return (outputFormats as readonly string[]).includes(v.toLowerCase());
}

function mode(s: Session, args: string[]): void {
  if (args.length === 0) return void s.io.out(`mode: ${s.state.output}\n`);
  if (!isFormat(args[0])) throw usageError('mode', `unknown output format '${args[0]}' (choose ${outputFormats.join(', ')})`);
  s.state.output = args[0].toLowerCase() as OutputFormat;
}

/** A file name rather than a format name: it has a dot or a slash (`out.csv`, `./report`). */
function looksLikeFile(arg: string): boolean {
  return /[./\\]/.test(arg);
}

/**
 * `.output FILE` sends results to FILE until `.output` (sqlite3); `.output FORMAT` still sets the
 * format (sessql's first spelling, the same as `.mode FORMAT`); `.output` alone goes back to stdout.
 */
function output(s: Session, args: string[]): void {
  if (args.length === 0 || args[0] === 'stdout') {
    const closed = s.closeRedirect();
    if (closed) s.info(`results go to stdout again (${closed} written)\n`);
    else if (args.length === 0) s.io.out(`output: ${s.state.output}, to ${s.destination ?? 'stdout'}\n`);
    return;
  }
  if (isFormat(args[0])) return mode(s, args);
  if (!looksLikeFile(args[0])) {
    throw usageError('output', `'${args[0]}' is neither an output format (${outputFormats.join(', ')}) nor a file name with an extension or a path`);
  }
  s.redirectTo(args[0], false);
}

async function read(s: Session, args: string[], signal?: AbortSignal): Promise<void> {
  await s.runFile(args[0], readTextFile(args[0]), signal);
}

function verticalMode(s: Session, args: string[]): void {
  s.state.vertical = args.length === 0 ? !s.state.vertical : onOff('vertical', args);
  if (args.length === 0) s.info(`vertical display is ${s.state.vertical ? 'on' : 'off'}\n`);
}

function cache(s: Session, args: string[]): void {
  const c = s.engine.cache;
  const [action, value] = [args[0]?.toLowerCase(), args[1]];
  if (action === undefined) {
    s.io.out(`cache: ${c.enabled ? 'on' : 'off'}, ttl ${c.ttlMs / 1000} s, ${c.size} fetch${c.size === 1 ? '' : 'es'} cached\n`);
  } else if ((action === 'on' || action === 'off' || action === 'clear') && value === undefined) {
    if (action === 'clear') {
      const n = c.size;
      c.clear();
      s.info(`cache cleared (${n} fetch${n === 1 ? '' : 'es'})\n`);
      return;
    }
    c.enabled = action === 'on';
    if (!c.enabled) c.clear();
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
      'SHOW METHODS IN p.s.r, DESCRIBE [EXTENDED] p.s.r, EXPLAIN <query>, EXEC p.s.r.method.',
      'Template variables: {{ name }} (see .set).',
      '',
    ].join('\n'),
  );
}

export const META_COMMANDS: Record<string, MetaCommand> = {
  help: { usage: '.help', summary: 'show this help', args: [0, 0], run: help },
  tables: { usage: '.tables [pattern]', summary: 'list tables (substring, or glob with * and ?)', args: [0, 1], completes: 'tables', run: tables },
  describe: {
    usage: '.describe <table>',
    summary: "a table's columns and parameters (DESCRIBE); a unique short name such as sessions is enough",
    args: [1, 1],
    completes: 'tables',
    run: (s, args, signal) => s.runSql(`DESCRIBE ${resolveTableName(s.engine, args[0], 'describe')}`, signal),
  },
  schema: {
    usage: '.schema [table]',
    summary: 'the CREATE TABLE view of a table (or of every table)',
    args: [0, 1],
    completes: 'tables',
    run: schema,
  },
  mode: { usage: `.mode ${outputFormats.join('|')}`, summary: 'result format', args: [0, 1], completes: outputFormats, run: mode },
  output: {
    usage: '.output [FILE|format]',
    summary: 'send results to FILE until .output alone (a format name sets the format, as .mode)',
    args: [0, 1],
    completes: outputFormats,
    run: output,
  },
  once: { usage: '.once FILE', summary: "send the next statement's results to FILE", args: [1, 1], run: (s, args) => s.redirectTo(args[0], true) },
  read: { usage: '.read FILE', summary: 'run the statements and meta-commands of FILE', args: [1, 1], run: read },
  headers: toggle('headers', 'column names above table and CSV results'),
  vertical: {
    usage: '.vertical [on|off]',
    summary: 'one block per row, a line per column (also \\x; alone it toggles)',
    args: [0, 1],
    completes: ON_OFF,
    run: verticalMode,
  },
  timing: toggle('timing', 'print time and API calls (and cache hits) after each statement'),
  explain: toggle('explain', 'print the plan of each query instead of running it (no API calls)'),
  vars: {
    usage: '.vars',
    summary: 'list template variables',
    args: [0, 0],
    run: (s) => s.print({ columns: ['name', 'value'], rows: Object.entries(s.state.vars).map(([k, v]) => [k, v]) }),
  },
  set: { usage: '.set <name> <value>', summary: 'set a template variable used as {{ name }}', args: [2, Number.POSITIVE_INFINITY], run: setVar },
  unset: { usage: '.unset <name>', summary: 'remove a template variable', args: [1, 1], run: unsetVar },
  cache: {
    usage: '.cache [on|off|clear|ttl <seconds>]',
    summary: 'show or change the results cache',
    args: [0, 2],
    completes: ['on', 'off', 'clear', 'ttl'],
    run: cache,
  },
  quit: {
    usage: '.quit',
    summary: 'leave (also .exit, Ctrl-D)',
    args: [0, 0],
    run: (s) => {
      s.quit = true;
    },
  },
};

const ALIASES: Record<string, string> = { exit: 'quit', q: 'quit', d: 'describe', h: 'help', '?': 'help', x: 'vertical', once: 'once' };

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

/** The canonical name of a meta-command or alias (`x` → `vertical`). */
function canonical(name: string): string {
  const key = name.toLowerCase();
  return ALIASES[key] ?? key;
}

/** Runs one meta-command line (without its leading blanks), e.g. `.set since 2026-01-01` or `\x`. */
export async function runMeta(s: Session, line: string, signal?: AbortSignal): Promise<void> {
  const [word, ...args] = metaArgs(line.trim().slice(1));
  const cmd = resolveMeta(word ?? '');
  if (!cmd) {
    throw new SessqlError('INVALID_OPTION', `unknown meta-command '${line.trim().split(/\s/)[0]}'`, { hint: '.help lists the meta-commands' });
  }
  const [fewest, most] = cmd.args;
  if (args.length < fewest || args.length > most) {
    const name = canonical(word ?? '');
    const what =
      args.length > most
        ? most === 0
          ? 'takes no arguments'
          : `takes at most ${most} argument${most === 1 ? '' : 's'}`
        : `needs ${fewest === 1 ? 'an argument' : `${fewest} arguments`}`;
    throw usageError(name, `.${name} ${what}${args.length > most ? `, not '${args.join(' ')}'` : ''}`);
  }
  await cmd.run(s, args, signal);
}
