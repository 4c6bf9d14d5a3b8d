// Seed 000's names: the Terraform data source cloudconnexa_sessions (and the Go client) name the
// session fields differently from the official API. Every Terraform name is a column equal to the
// API field it stands for, a response in any of the three shapes fills the same columns, and a
// WHERE on a Terraform name is pushed down like the API name.
import { describe, expect, it } from 'vitest';
import { tableColumns } from '../../src/plan/plan.js';
import { rowBuilder } from '../../src/rows/convert.js';
import { calls, catalog, plan } from '../helpers/plan.js';

const sessions = catalog.find('cloudconnexa.vpn.sessions')!;

/** Terraform name → the official API's field name (seed 000 and api-facts A). */
const TERRAFORM: Record<string, string> = {
  session_id: 'id',
  user_id: 'userId',
  user_name: 'userName',
  device_id: 'deviceId',
  device_name: 'deviceName',
  client_ip: 'publicIp',
  vpn_ipv4: 'tunnelIpV4',
  start_date_time: 'sessionStartTime',
  connection_status: 'status',
  region_id: 'region',
  network_name: 'networkName',
  connector_name: 'connectorName',
  bytes_in: 'bytesIn',
  bytes_out: 'bytesOut',
};

const official = {
  id: 's-1',
  userId: 'u-1',
  userName: 'alice',
  deviceId: 'd-1',
  deviceName: 'laptop',
  publicIp: '203.0.113.7',
  tunnelIpV4: '100.96.1.2',
  sessionStartTime: '2026-11-20T08:00:00Z',
  status: 'ACTIVE',
  region: 'eu-west',
  networkName: 'net',
  connectorName: 'conn',
  bytesIn: 10,
  bytesOut: 20,
};
/** The Go client's JSON names (api-facts A, "Conflict to know about"). */
const goClient = {
  sessionId: 's-1',
  userId: 'u-1',
  userName: 'alice',
  deviceId: 'd-1',
  deviceName: 'laptop',
  clientIp: '203.0.113.7',
  vpnIpv4: '100.96.1.2',
  startDateTime: '2026-11-20T08:00:00Z',
  connectionStatus: 'ACTIVE',
  regionId: 'eu-west',
  regionName: 'Europe West',
  networkName: 'net',
  connectorName: 'conn',
  bytesIn: 10,
  bytesOut: 20,
};
/** Terraform's attribute names. */
const terraform = Object.fromEntries([
  ...Object.entries(TERRAFORM).map(([tf, api]) => [tf, (official as Record<string, unknown>)[api]]),
  ['region_name', 'Europe West'],
]);

describe('Terraform field names of cloudconnexa.vpn.sessions', () => {
  const columns = tableColumns(sessions);
  const names = columns.map((c) => c.name);
  const build = rowBuilder('cloudconnexa.vpn.sessions', columns, {});
  const asObject = (item: object) => Object.fromEntries(build(item, 0).map((v, i) => [names[i], v]));

  it('has every Terraform name as a column', () => {
    expect(names).toEqual(expect.arrayContaining([...Object.keys(TERRAFORM), 'region_name']));
  });

  it.each([
    ['the official API', official],
    ["the Go client's", goClient],
    ["Terraform's", terraform],
  ])('a response in %s shape fills the API columns and their Terraform names with the same values', (_shape, item) => {
    const row = asObject(item);
    for (const [tf, api] of Object.entries(TERRAFORM)) {
      expect(row[tf], tf).toEqual(row[api]);
      expect(row[api], api).not.toBeNull();
    }
    expect(row.start_date_time).toBe('2026-11-20T08:00:00.000Z');
  });

  it('region_name is filled when the response carries it', () => {
    expect(asObject(goClient).region_name).toBe('Europe West');
    expect(asObject(official).region_name).toBeNull();
  });

  it('a WHERE on a Terraform name is pushed like the API name', () => {
    const byTf = plan(
      "SELECT user_name FROM cloudconnexa.vpn.sessions WHERE connection_status = 'ACTIVE' AND start_date_time >= '2026-11-20T00:00:00Z'",
    );
    const byApi = plan("SELECT userName FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' AND sessionStartTime >= '2026-11-20T00:00:00Z'");
    expect(calls(byTf)).toEqual(calls(byApi));
    expect(calls(byTf)[0]).toMatchObject({ status: 'ACTIVE', startDate: '2026-11-20T00:00:00Z' });
  });
});
