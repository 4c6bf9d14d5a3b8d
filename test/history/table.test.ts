// The history table of each syncable resource, and the manifest checks of the sync block.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog, loadManifestFile } from '../../src/manifest/catalog.js';
import { historyTable } from '../../src/history/table.js';
import { defaultHistoryPath, isPostgresUrl } from '../../src/history/open.js';
import { parseDuration } from '../../src/config/size.js';
import { ROOT } from '../helpers/cli.js';

const catalog = Catalog.load();
const def = (id: string) => historyTable(catalog.find(id)!)!;

describe('history tables', () => {
  it('marks sessions incremental, Bastion sessions snapshot, the directory full', () => {
    const modes = Object.fromEntries(catalog.resourceIds().map((id) => [id, catalog.find(id)!.spec.sync?.mode ?? null]));
    expect(modes).toMatchObject({
      'cloudconnexa.vpn.sessions': 'incremental',
      'azure.network.active_sessions': 'snapshot',
      'cloudconnexa.vpn.users': 'full',
      'cloudconnexa.vpn.regions': 'full',
      'azure.network.bastion_hosts': 'full',
    });
  });

  it('keeps the live names, the path parameters that say where a row lives, and the sighting columns', () => {
    const a = def('azure.network.active_sessions');
    expect(a.name).toBe('azure_network_active_sessions');
    expect(a.key).toEqual(['sessionId', 'subscriptionId', 'resourceGroupName', 'bastionHostName']);
    expect(a.sighting).toEqual(['_first_seen', '_last_seen', '_gone_at']);
    const s = def('cloudconnexa.vpn.sessions');
    expect(s.key).toEqual(['id']);
    expect(s.columns.map((c) => c.name)).not.toContain('startDate');
    expect(s.sighting).toEqual(['_first_seen', '_last_seen']);
    expect(s.indexed).toEqual(['sessionStartTime', 'sessionEndTime']);
    expect(def('cloudconnexa.vpn.connectors').key).toEqual(['id', 'kind']);
  });

  it('refuses a sync block without a key or with unknown names, naming the file and path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessql-manifest-'));
    const base = readFileSync(join(ROOT, 'providers/cloudconnexa/manifest.yaml'), 'utf8');
    const write = (text: string) => {
      const f = join(dir, `m${Math.random()}.yaml`);
      writeFileSync(f, text);
      return f;
    };
    const noKey = base.replace('        key: [id]\n        sync: { mode: full }\n', '        sync: { mode: full }\n');
    expect(() => loadManifestFile(write(noKey))).toThrow(/resources\.users\.sync: needs a key/);
    const badHw = base.replace('highWater: [sessionStartTime, sessionEndTime]', 'highWater: [nope]');
    expect(() => loadManifestFile(write(badHw))).toThrow(/resources\.sessions\.sync\.highWater: names unknown column 'nope'/);
  });
});

describe('targets and durations', () => {
  it.each([
    ['postgres://u@h/db', true],
    ['postgresql://h/db', true],
    ['./history.db', false],
    ['/var/lib/sessql/h.db', false],
  ])('%s is PostgreSQL: %s', (t, pg) => expect(isPostgresUrl(t)).toBe(pg));

  it('defaults to the XDG data directory', () => {
    expect(defaultHistoryPath({ XDG_DATA_HOME: '/x/data', HOME: '/home/u' })).toBe('/x/data/sessql/history.db');
    expect(defaultHistoryPath({ HOME: '/home/u' })).toBe('/home/u/.local/share/sessql/history.db');
  });

  it.each([
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['90d', 90 * 86_400_000],
    ['PT5M', 300_000],
    ['P1DT1H', 90_000_000],
    ['300ms', 300],
  ])('%s = %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['five minutes', '', 'P', '5 fortnights'])('%j is not a duration', (text) => expect(() => parseDuration(text)).toThrow(/duration/));
});
