// The Grafana dashboard in examples/ runs over a real PostgreSQL history: every panel's SQL (with
// Grafana's macros expanded as Grafana would) succeeds and returns rows.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { openHistoryStore } from '../../src/history/open.js';
import { syncOnce } from '../../src/history/sync.js';
import { startAzureSimulator, type AzureSimulator } from '../../src/simulator/azure/index.js';
import { startCloudConnexaSimulator } from '../../src/simulator/cloudconnexa/index.js';
import type { CloudConnexaSimulator } from '../../src/simulator/cloudconnexa/types.js';
import { ROOT } from '../helpers/cli.js';
import { freshTarget, PG_URL } from './targets.js';

interface Panel {
  title: string;
  targets: Array<{ rawSql: string }>;
}

function expand(sql: string): string {
  return sql
    .replace(/\$__timeGroupAlias\(([^,]+), '1h'\)/g, "date_trunc('hour', $1) AS time")
    .replace(/\$__timeFilter\(([^)]+)\)/g, "$1 BETWEEN now() - interval '30 days' AND now() + interval '1 day'")
    .replace(/\$__timeFrom\(\)/g, "(now() - interval '1 hour')")
    .replace(/\$__timeTo\(\)/g, 'now()');
}

describe.skipIf(!PG_URL)('the Grafana dashboard over the PostgreSQL history', () => {
  let cc: CloudConnexaSimulator;
  let az: AzureSimulator;
  let client: pg.Client;

  beforeAll(async () => {
    cc = await startCloudConnexaSimulator({ seed: 3, sessions: 800, historyDays: 14 });
    az = await startAzureSimulator({ retryAfterSeconds: 0 });
    const url = await freshTarget('postgres');
    const store = await openHistoryStore(url);
    const engine = createEngine({
      env: {},
      cache: false,
      config: {
        cloudconnexa: { baseUrl: cc.url, clientId: cc.clientId, clientSecret: cc.clientSecret },
        azure: { resourceManagerUrl: az.url, accessToken: az.token },
      },
    });
    const r = await syncOnce({ engine, store, tables: ['cloudconnexa.vpn.sessions', 'cloudconnexa.vpn.regions', 'azure.network.active_sessions'] });
    expect(r.map((x) => x.status)).toEqual(['ok', 'ok', 'ok']);
    engine.close();
    await store.close();
    const pgm = createRequire(import.meta.url)('pg') as typeof pg;
    client = new pgm.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await cc?.close();
    await az?.close();
  });

  const dashboard = JSON.parse(readFileSync(`${ROOT}/examples/grafana/sessql-history-dashboard.json`, 'utf8')) as { panels: Panel[] };
  it.each(dashboard.panels.map((p) => [p.title, p] as const))('%s', async (_title, panel) => {
    for (const t of panel.targets) {
      const r = await client.query(expand(t.rawSql));
      expect(r.rows.length).toBeGreaterThan(0);
    }
  });
});
