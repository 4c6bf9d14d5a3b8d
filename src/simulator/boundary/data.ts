// Deterministic Boundary data for the simulator: scopes (global → orgs → projects), users (with the
// built-in u_anon and u_auth), targets and sessions in every state, shaped like the controller's
// protojson (api-facts A.6, A.8): snake_case names, empty fields omitted, RFC 3339 UTC times.
import { createRng, type Rng } from '../shared/prng.js';

export type Item = Record<string, unknown>;

export interface BoundaryData {
  scopes: Item[];
  users: Item[];
  targets: Item[];
  sessions: Item[];
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function publicId(rng: Rng, prefix: string): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += B62[rng.int(0, 61)];
  return `${prefix}_${s}`;
}

// Boundary prints microseconds (Postgres), e.g. 2021-02-24T22:19:50.640476Z
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '476Z');

const PEOPLE: Array<[string, string]> = [
  ['alice', 'Alice Adams'],
  ['bob', 'Bob Brown'],
  ['carol', 'Carol Chen'],
  ['dave', 'Dave Diaz'],
  ['erin', 'Erin Evans'],
  ['frank', 'Frank Fox'],
  ['grace', 'Grace Gupta'],
  ['heidi', 'Heidi Hall'],
];
const REASONS = ['closed by end-user', 'timed out', 'canceled', 'terminated', 'network error'];

export function generateBoundaryData(seed: number, now: number, sessionCount: number): BoundaryData {
  const rng = createRng(seed);
  const created = (maxAgeMs: number) => now - rng.int(60_000, maxAgeMs);
  const scopeInfo = (s: Item) => ({ id: s.id, type: s.type, name: s.name, description: s.description, parent_scope_id: s.scope_id });
  const global = { id: 'global', type: 'global', name: 'global', description: 'Global Scope' };
  const orgs: Item[] = ['Engineering', 'Operations'].map((name) => ({
    id: publicId(rng, 'o'),
    scope_id: 'global',
    scope: global,
    name,
    description: `${name} org`,
    type: 'org',
    created_time: iso(created(400 * 86_400_000)),
    version: 1,
    primary_auth_method_id: publicId(rng, 'ampw'),
  }));
  for (const o of orgs) o.updated_time = o.created_time;
  const projects: Item[] = [
    ['prod', 0],
    ['staging', 0],
    ['infra', 1],
  ].map(([name, org]) => {
    const parent = orgs[org as number];
    const t = iso(created(300 * 86_400_000));
    return {
      id: publicId(rng, 'p'),
      scope_id: parent.id,
      scope: scopeInfo(parent),
      name,
      description: `${name} project`,
      type: 'project',
      created_time: t,
      updated_time: t,
      version: 1,
    };
  });
  const users: Item[] = [
    {
      id: 'u_anon',
      scope_id: 'global',
      scope: global,
      name: 'anonymous',
      description: 'The anonymous user matches any request, whether authenticated or not',
      created_time: iso(now - 500 * 86_400_000),
      version: 1,
    },
    {
      id: 'u_auth',
      scope_id: 'global',
      scope: global,
      name: 'authenticated',
      description: 'The authenticated user matches any user that has a valid token',
      created_time: iso(now - 500 * 86_400_000),
      version: 1,
    },
  ];
  for (const [login, full] of PEOPLE) {
    const org = rng.pick(orgs);
    const account = publicId(rng, 'acctpw');
    users.push({
      id: publicId(rng, 'u'),
      scope_id: org.id,
      scope: scopeInfo(org),
      name: login,
      created_time: iso(created(200 * 86_400_000)),
      version: rng.int(1, 4),
      login_name: login,
      full_name: full,
      email: `${login}@example.com`,
      primary_account_id: account,
      account_ids: [account],
    });
  }
  for (const u of users) u.updated_time = u.created_time;
  const targets: Item[] = [];
  const targetDefs: Array<[string, string, number]> = [
    ['db-primary', 'tcp', 5432],
    ['web-ssh', 'ssh', 22],
    ['bastion-ssh', 'ssh', 22],
    ['win-jump', 'rdp', 3389],
    ['redis', 'tcp', 6379],
    ['k8s-api', 'tcp', 6443],
  ];
  targetDefs.forEach(([name, type, port], i) => {
    const project = projects[i % projects.length];
    const t = iso(created(100 * 86_400_000));
    const prefix = type === 'ssh' ? 'tssh' : type === 'rdp' ? 'trdp' : 'ttcp';
    targets.push({
      id: publicId(rng, prefix),
      scope_id: project.id,
      scope: scopeInfo(project),
      name,
      description: `${name} (${type})`,
      type,
      created_time: t,
      updated_time: t,
      version: 1,
      session_max_seconds: 28800,
      session_connection_limit: -1,
      attributes: { default_port: port },
      address: `10.0.${i}.${10 + i}`,
      authorized_actions: ['no-op', 'read', 'authorize-session'],
    });
  });
  const people = users.filter((u) => u.login_name);
  const sessions: Item[] = [];
  for (let i = 0; i < sessionCount; i++) {
    const target = rng.pick(targets);
    const user = rng.pick(people);
    const roll = rng.next();
    const status = roll < 0.45 ? 'active' : roll < 0.55 ? 'pending' : roll < 0.6 ? 'canceling' : 'terminated';
    // Boundary deletes a session an hour after it ends (api-facts A.3): terminated ones ended within the hour
    const end = status === 'terminated' ? now - rng.int(1000, 55 * 60_000) : undefined;
    const start = end !== undefined ? end - rng.int(60_000, 3_600_000) : now - rng.int(30_000, 2 * 3_600_000);
    const states: Item[] = [];
    if (status === 'terminated') states.push({ status: 'terminated', start_time: iso(end!) });
    if (status === 'canceling') states.push({ status: 'canceling', start_time: iso(start + 60_000) });
    if (status !== 'pending')
      states.push({
        status: 'active',
        start_time: iso(start + 1000),
        ...(status === 'active' ? {} : { end_time: iso(status === 'terminated' ? end! : start + 60_000) }),
      });
    states.push({ status: 'pending', start_time: iso(start), ...(status === 'pending' ? {} : { end_time: iso(start + 1000) }) });
    const project = projects.find((p) => p.id === target.scope_id)!;
    const port = (target.attributes as { default_port: number }).default_port;
    const s: Item = {
      id: publicId(rng, 's'),
      target_id: target.id,
      scope: scopeInfo(project),
      scope_id: project.id,
      user_id: user.id,
      auth_token_id: publicId(rng, 'at'),
      created_time: iso(start),
      updated_time: iso(end ?? start + 1000),
      expiration_time: iso(start + 28_800_000),
      type: target.type,
      status,
      states,
      endpoint: `${target.type === 'ssh' ? 'ssh' : 'tcp'}://${target.address}:${port}`,
      version: states.length,
      authorized_actions: ['read:self', 'cancel:self'],
    };
    if (status === 'active') {
      s.connections = [
        {
          client_tcp_address: `192.0.2.${rng.int(2, 250)}`,
          client_tcp_port: rng.int(40000, 60000),
          endpoint_tcp_address: target.address,
          endpoint_tcp_port: port,
          bytes_up: String(rng.int(1000, 9_000_000)),
          bytes_down: String(rng.int(1000, 90_000_000)),
        },
      ];
    }
    if (status === 'terminated') s.termination_reason = rng.pick(REASONS);
    sessions.push(s);
  }
  // newest first, as the controller lists (created_time desc, id desc)
  const byNewest = (a: Item, b: Item) => String(b.created_time).localeCompare(String(a.created_time)) || String(b.id).localeCompare(String(a.id));
  return {
    scopes: [...orgs, ...projects].sort(byNewest),
    users: users.sort(byNewest),
    targets: targets.sort(byNewest),
    sessions: sessions.sort(byNewest),
  };
}
