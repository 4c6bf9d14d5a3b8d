// A HashiCorp Boundary controller simulator (api-facts-boundary-ssm.md A and C): GET /v1/{sessions,
// targets,users,scopes} with scope_id/recursive validation, the filter grammar (400 when it does not
// parse), include_terminated, list_token paging (delta/complete, start-refresh token on the last
// page), password login, the 401/403 rules for bad tokens, and 429 + Retry-After with empty bodies.
import { generateBoundaryData, publicId, type BoundaryData, type Item } from './data.js';
import { FilterSyntaxError, matches, parseFilter, type Expr } from './filter.js';
import { FaultSet, type SimFault } from '../shared/faults.js';
import { json, serve, type IncomingSimRequest, type Reply, type SimRequest } from '../shared/http.js';
import { createRng } from '../shared/prng.js';

export interface BoundarySimOptions {
  seed?: number;
  sessions?: number;
  /** The controller's max_page_size (default 1000); a larger page_size is silently capped. */
  maxPageSize?: number;
  /** Every Nth list request answers 429 with an empty body and Retry-After (0 = never). */
  rateLimitEvery?: number;
  retryAfterSeconds?: number;
  now?: () => number;
}

export interface BoundarySimulator {
  url: string;
  /** A valid auth token (as BOUNDARY_TOKEN). */
  token: string;
  authMethodId: string;
  loginName: string;
  password: string;
  data: BoundaryData;
  requests: SimRequest[];
  resetLog(): void;
  injectFault(f: SimFault): void;
  /** Every issued token stops working (expired or revoked): lists answer as to the anonymous user. */
  revokeTokens(): void;
  close(): Promise<void>;
}

const COLLECTIONS = ['sessions', 'targets', 'users', 'scopes'] as const;
type Collection = (typeof COLLECTIONS)[number];

interface ListToken {
  c: Collection;
  /** Offset of the next item; -1 = start-refresh token of a complete listing. */
  o: number;
}

const err = (status: number, kind: string, message: string, fields?: Array<{ name: string; description: string }>): Reply =>
  json(status, { kind, message, ...(fields ? { details: { request_fields: fields } } : {}) });

export async function startBoundarySimulator(options: BoundarySimOptions = {}): Promise<BoundarySimulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 11;
  const data = generateBoundaryData(seed, now(), options.sessions ?? 40);
  const rng = createRng(seed + 1);
  const token = `${publicId(rng, 'at')}_s1${publicId(rng, 'x').slice(2)}${publicId(rng, 'y').slice(2)}`;
  const authMethodId = publicId(rng, 'ampw');
  const loginName = 'admin';
  const password = 'sim-password-1';
  const tokens = new Set([token]);
  const requests: SimRequest[] = [];
  const faults = new FaultSet();
  const maxPage = options.maxPageSize ?? 1000;
  let listCount = 0;

  const authenticate = (req: IncomingSimRequest): Reply => {
    const m = /^\/v1\/auth-methods\/([^/:]+):authenticate$/.exec(req.path);
    if (!m || req.method !== 'POST') return err(404, 'NotFound', 'Resource not found.');
    let body: { command?: string; attributes?: { login_name?: string; password?: string } };
    try {
      body = JSON.parse(req.rawBody || '{}');
    } catch {
      return err(400, 'InvalidArgument', 'Error parsing request.');
    }
    const a = body.attributes ?? {};
    const missing = [!a.login_name && 'attributes.login_name', !a.password && 'attributes.password'].filter((x): x is string => Boolean(x));
    if (missing.length)
      return err(
        400,
        'InvalidArgument',
        'Invalid fields provided in request.',
        missing.map((name) => ({ name, description: 'This is a required field.' })),
      );
    if (m[1] !== authMethodId || a.login_name !== loginName || a.password !== password) return err(401, 'Unauthenticated', 'Unable to authenticate.');
    const issued = `${publicId(rng, 'at')}_s1${publicId(rng, 'z').slice(2)}`;
    tokens.add(issued);
    const t = new Date(now()).toISOString();
    return json(200, {
      command: 'login',
      attributes: {
        id: issued.split('_s1')[0],
        scope_id: 'global',
        token: issued,
        user_id: data.users[0].id,
        auth_method_id: authMethodId,
        created_time: t,
        updated_time: t,
        approximate_last_used_time: t,
        expiration_time: new Date(now() + 7 * 86_400_000).toISOString(),
      },
    });
  };

  const list = (c: Collection, req: IncomingSimRequest): Reply => {
    const q = req.query;
    const recursive = q.recursive === 'true';
    const scope = q.scope_id ?? (c === 'scopes' || c === 'users' ? 'global' : '');
    // validation comes before auth (api-facts C.1)
    if ((c === 'sessions' || c === 'targets') && !recursive && !scope.startsWith('p_')) {
      return err(400, 'InvalidArgument', 'Invalid fields provided in request.', [
        { name: 'scope_id', description: 'This field must be a valid project scope ID or the list operation must be recursive.' },
      ]);
    }
    if ((c === 'users' || c === 'scopes') && scope !== 'global' && !scope.startsWith('o_')) {
      return err(400, 'InvalidArgument', 'Invalid fields provided in request.', [
        { name: 'scope_id', description: "Must be 'global' or a valid org scope id when listing." },
      ]);
    }
    let filter: Expr | undefined;
    if (q.filter !== undefined && q.filter !== '') {
      try {
        filter = parseFilter(q.filter);
      } catch (e) {
        if (!(e instanceof FilterSyntaxError)) throw e;
        return err(400, 'InvalidArgument', 'Invalid fields provided in request.', [
          { name: 'filter', description: `This field could not be parsed. ${e.message}` },
        ]);
      }
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) {
      // an invalid token continues as u_anon: recursive lists find nothing it may list (403),
      // other lists are 401; anonymous users may list scopes (api-facts A.2)
      if (c !== 'scopes')
        return recursive ? err(403, 'PermissionDenied', 'Forbidden.') : err(401, 'Unauthenticated', 'Unauthenticated, or invalid token.');
    }
    const every = options.rateLimitEvery ?? 0;
    if (every > 0 && ++listCount % every === 0) {
      return { status: 429, headers: { 'retry-after': String(options.retryAfterSeconds ?? 1) }, body: '' };
    }
    let token: ListToken | undefined;
    if (q.list_token !== undefined) {
      try {
        token = JSON.parse(Buffer.from(q.list_token, 'base64url').toString('utf8')) as ListToken;
      } catch {
        token = undefined;
      }
      if (!token || token.c !== c) return err(400, 'invalid list token', 'list token was not valid for this resource type');
      if (token.o < 0) {
        // a start-refresh token: changes since the listing (none in the simulator)
        return json(200, { response_type: 'complete', list_token: q.list_token, sort_by: 'updated_time', sort_dir: 'desc' });
      }
    }
    let items: Item[] = data[c];
    if (c === 'sessions' && q.include_terminated !== 'true') items = items.filter((s) => s.status !== 'terminated');
    if (!recursive) items = items.filter((i) => i.scope_id === scope);
    else if (scope !== 'global') items = items.filter((i) => i.scope_id === scope || (i.scope as Item | undefined)?.parent_scope_id === scope);
    if (filter) items = items.filter((item) => matches(filter!, { item }));
    const asked = Number(q.page_size ?? 0);
    const size = asked > 0 && asked < maxPage ? asked : maxPage;
    const offset = token?.o ?? 0;
    const page = items.slice(offset, offset + size);
    const complete = offset + size >= items.length;
    const body: Record<string, unknown> = { response_type: complete ? 'complete' : 'delta', sort_by: 'created_time', sort_dir: 'desc' };
    if (page.length) body.items = page;
    if (page.length || offset > 0) {
      const next: ListToken = { c, o: complete ? -1 : offset + size };
      body.list_token = Buffer.from(JSON.stringify(next)).toString('base64url');
    }
    const est = offset === 0 && complete ? items.length : data[c].length;
    if (est) body.est_item_count = est;
    return json(200, body, { ratelimit: `limit=150, remaining=${150 - (listCount % 150)}, reset=30` });
  };

  const handle = (req: IncomingSimRequest): Reply => {
    const fault = faults.take(req.method, req.path);
    if (fault) {
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      if (fault.body !== undefined) return { status: fault.status, headers, body: fault.body };
      return {
        ...err(fault.status, fault.code ?? 'Internal', fault.message ?? 'simulated failure'),
        headers: { 'content-type': 'application/json', ...headers },
      };
    }
    if (req.path.startsWith('/v1/auth-methods/')) return authenticate(req);
    const m = /^\/v1\/([a-z]+)$/.exec(req.path);
    const c = COLLECTIONS.find((x) => x === m?.[1]);
    if (!c || req.method !== 'GET') return err(404, 'NotFound', 'Resource not found.');
    return list(c, req);
  };

  const server = await serve(handle, requests, now);
  return {
    url: server.url,
    token,
    authMethodId,
    loginName,
    password,
    data,
    requests,
    resetLog: () => {
      requests.length = 0;
    },
    injectFault: (f) => faults.add(f),
    revokeTokens: () => tokens.clear(),
    close: () => server.close(),
  };
}
