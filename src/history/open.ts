// Opening a history target: a postgres:// or postgresql:// URL, else a SQLite file path; with no
// target, the SQLite file in the user's XDG data directory.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { SessqlError } from '../errors.js';
import { join, resolve } from 'node:path';
import type { HistoryStore } from './store.js';
import type { LoadMethod } from './postgres.js';

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** `$XDG_DATA_HOME/sessql/history.db`, else `~/.local/share/sessql/history.db`. */
export function defaultHistoryPath(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(env.HOME ?? homedir(), '.local', 'share');
  return join(base, 'sessql', 'history.db');
}

export interface OpenOptions {
  loadMethod?: LoadMethod;
  env?: Record<string, string | undefined>;
  /** Reading only (`--db`): nothing is created, a read-only database role suffices. */
  readOnly?: boolean;
}

export async function openHistoryStore(target: string | undefined, options: OpenOptions = {}): Promise<HistoryStore> {
  const t = target ?? defaultHistoryPath(options.env);
  if (isPostgresUrl(t)) {
    const { PostgresHistoryStore } = await import('./postgres.js');
    return PostgresHistoryStore.open(t, { loadMethod: options.loadMethod, readOnly: options.readOnly });
  }
  const path = resolve(t);
  if (options.readOnly && !existsSync(path)) {
    throw new SessqlError('INVALID_OPTION', `there is no history database at ${path}`, { hint: `create it with: sessql sync --db ${t}` });
  }
  const { SqliteHistoryStore } = await import('./sqlite.js');
  return new SqliteHistoryStore(path, Boolean(options.readOnly));
}
