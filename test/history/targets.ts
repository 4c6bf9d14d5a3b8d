// History test targets: a fresh SQLite file, or a fresh schema in the real PostgreSQL server that
// SESSQL_TEST_PG_URL names (.ci/run starts one with .ci/postgres.sh). With CI=true the
// PostgreSQL tests are mandatory; elsewhere they skip, saying why, when no server is given.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type pg from 'pg';

export const PG_URL = process.env.SESSQL_TEST_PG_URL;
const CI = /^(true|1)$/i.test(process.env.CI ?? '');
if (!PG_URL && CI) {
  throw new Error(
    'CI is set but SESSQL_TEST_PG_URL is not: the history tests need a real PostgreSQL server (.ci/run starts one with .ci/postgres.sh)',
  );
}
if (!PG_URL) {
  console.warn(
    'history tests: SESSQL_TEST_PG_URL is not set, so the PostgreSQL cases are SKIPPED (start one with `.ci/postgres.sh` and export the URL it prints)',
  );
}

export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: Backend[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

let n = 0;

/** A new, empty history target of the backend. */
export async function freshTarget(backend: Backend): Promise<string> {
  if (backend === 'sqlite') return join(mkdtempSync(join(tmpdir(), 'sessql-history-')), 'history.db');
  const pgm = createRequire(import.meta.url)('pg') as typeof pg;
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${++n}`;
  const c = new pgm.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
  const u = new URL(PG_URL!);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
