// An AWS Systems Manager simulator for DescribeSessions (api-facts-boundary-ssm.md B and C): AWS JSON
// 1.1 on POST /, SigV4 verified for real (the region comes from the credential scope), State
// required, MaxResults 1–200, Filters applied, NextToken bound to State+Filters, epoch-second dates,
// `__type` errors, and ThrottlingException (a 400) every Nth request when asked.
import { createHash } from 'node:crypto';
import { FaultSet, type SimFault } from '../shared/faults.js';
import { serve, type IncomingSimRequest, type Reply, type SimRequest } from '../shared/http.js';
import { generateSsmData, owners, type RegionSessions, type SsmSession } from './data.js';
import { verifySigV4, type SimCredentials } from './sigv4.js';

export interface SsmSimOptions {
  seed?: number;
  regions?: string[];
  sessionsPerRegion?: number;
  /** Page size when MaxResults is omitted (undocumented upstream). */
  defaultPageSize?: number;
  /**
   * Filters are applied to each page after it is cut, so a filtered page may be short or empty
   * and still carry a NextToken, as AWS list APIs do (default true).
   */
  filterAfterPaging?: boolean;
  /** Every Nth request answers ThrottlingException (0 = never). */
  throttleEvery?: number;
  sessionToken?: string;
  now?: () => number;
}

export interface SsmSimulator {
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  regions: string[];
  data: Map<string, RegionSessions>;
  owners: string[];
  requests: SimRequest[];
  resetLog(): void;
  injectFault(f: SimFault): void;
  close(): Promise<void>;
}

const TYPE = 'application/x-amz-json-1.1';
const FILTER_KEYS = ['InvokedAfter', 'InvokedBefore', 'Target', 'Owner', 'Status', 'SessionId', 'AccessType'];

function awsError(code: string, message: string, status = 400, namespace = 'com.amazonaws.ssm'): Reply {
  return { status, headers: { 'content-type': TYPE, 'x-amzn-requestid': 'sim' }, body: JSON.stringify({ __type: `${namespace}#${code}`, message }) };
}

interface Filter {
  key: string;
  value: string;
}

function validate(body: Record<string, unknown>): Reply | undefined {
  if (body.State !== 'Active' && body.State !== 'History') {
    const what =
      body.State === undefined
        ? "Value null at 'state' failed to satisfy constraint: Member must not be null"
        : `Value '${String(body.State)}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [Active, History]`;
    return awsError('ValidationException', `1 validation error detected: ${what}`);
  }
  if (body.MaxResults !== undefined) {
    const n = body.MaxResults;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 200) {
      return awsError(
        'ValidationException',
        `1 validation error detected: Value '${String(n)}' at 'maxResults' failed to satisfy constraint: Member must have value ${Number(n) < 1 ? 'greater than or equal to 1' : 'less than or equal to 200'}`,
      );
    }
  }
  if (body.Filters !== undefined) {
    const f = body.Filters;
    if (!Array.isArray(f) || f.length < 1 || f.length > 6)
      return awsError(
        'ValidationException',
        "1 validation error detected: Value at 'filters' failed to satisfy constraint: Member must have length between 1 and 6",
      );
    const seen = new Set<string>();
    for (const item of f as Filter[]) {
      if (!item || typeof item.key !== 'string' || typeof item.value !== 'string')
        return awsError('ValidationException', 'Filters need lower-case key and value members');
      if (!FILTER_KEYS.includes(item.key)) return awsError('InvalidFilterKey', `The specified filter key is not valid: ${item.key}`);
      if (item.value.length < 1 || item.value.length > 400)
        return awsError('ValidationException', "Value at 'filters.value' failed to satisfy constraint: length between 1 and 400");
      if (seen.has(item.key)) return awsError('ValidationException', `Filter key ${item.key} is repeated`);
      seen.add(item.key);
      if ((item.key === 'InvokedAfter' || item.key === 'InvokedBefore') && Number.isNaN(Date.parse(item.value))) {
        return awsError('ValidationException', `Invalid timestamp for ${item.key}: ${item.value}`);
      }
    }
  }
  return undefined;
}

function keep(s: SsmSession, filters: Filter[]): boolean {
  return filters.every((f) => {
    if (f.key === 'InvokedAfter') return s.StartDate * 1000 >= Date.parse(f.value);
    if (f.key === 'InvokedBefore') return s.StartDate * 1000 < Date.parse(f.value);
    return (s as unknown as Record<string, unknown>)[f.key] === f.value;
  });
}

export async function startSsmSimulator(options: SsmSimOptions = {}): Promise<SsmSimulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 5;
  const regions = options.regions ?? ['us-east-1', 'eu-west-1'];
  const data = generateSsmData(seed, now(), regions, options.sessionsPerRegion ?? 30);
  const creds: SimCredentials = {
    accessKeyId: `AKIASIM${String(seed).padStart(13, '0')}`,
    secretAccessKey: createHash('sha256').update(`ssm-sim-${seed}`).digest('base64').slice(0, 40),
    sessionToken: options.sessionToken,
  };
  const requests: SimRequest[] = [];
  const faults = new FaultSet();
  let count = 0;

  const handle = async (req: IncomingSimRequest): Promise<Reply> => {
    const fault = faults.take(req.method, req.path);
    if (fault)
      return fault.body !== undefined
        ? { status: fault.status, body: fault.body }
        : awsError(fault.code ?? 'InternalServerError', fault.message ?? 'simulated failure', fault.status);
    if (req.method !== 'POST' || req.path !== '/') return awsError('UnknownOperationException', 'Unknown operation', 404);
    const verdict = await verifySigV4(req, creds, 'ssm', now());
    if (!verdict.ok) return awsError(verdict.code, verdict.message, verdict.code === 'MissingAuthenticationTokenException' ? 403 : 400);
    const every = options.throttleEvery ?? 0;
    if (every > 0 && ++count % every === 0) return awsError('ThrottlingException', 'Rate exceeded', 400, 'com.amazon.coral.availability');
    if (req.headers['x-amz-target'] !== 'AmazonSSM.DescribeSessions')
      return awsError('UnknownOperationException', `Unknown operation ${req.headers['x-amz-target'] ?? ''}`);
    if (!(req.headers['content-type'] ?? '').startsWith(TYPE))
      return awsError('SerializationException', `Unexpected content type ${req.headers['content-type'] ?? ''}`);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.rawBody || '{}') as Record<string, unknown>;
    } catch {
      return awsError('SerializationException', 'Start of structure or map found where not expected.');
    }
    const invalid = validate(body);
    if (invalid) return invalid;
    const region = data.get(verdict.region);
    if (!region)
      return awsError('UnrecognizedClientException', `The security token included in the request is invalid (no such region ${verdict.region}).`);
    const state = body.State as 'Active' | 'History';
    const filters = (body.Filters as Filter[] | undefined) ?? [];
    const binding = createHash('sha1')
      .update(JSON.stringify([verdict.region, state, filters]))
      .digest('hex')
      .slice(0, 12);
    let offset = 0;
    if (body.NextToken !== undefined) {
      const m = typeof body.NextToken === 'string' ? /^([0-9a-f]{12})\.(\d+)$/.exec(Buffer.from(body.NextToken, 'base64').toString('utf8')) : null;
      if (!m || m[1] !== binding) return awsError('InvalidNextToken', 'The specified token is not valid.');
      offset = Number(m[2]);
    }
    const size = (body.MaxResults as number | undefined) ?? options.defaultPageSize ?? 10;
    const all = region[state];
    let page: SsmSession[];
    let next: number | undefined;
    if (options.filterAfterPaging ?? true) {
      page = all.slice(offset, offset + size).filter((s) => keep(s, filters));
      next = offset + size < all.length ? offset + size : undefined;
    } else {
      const matching = all.filter((s) => keep(s, filters));
      page = matching.slice(offset, offset + size);
      next = offset + size < matching.length ? offset + size : undefined;
    }
    const out: Record<string, unknown> = { Sessions: page };
    if (next !== undefined) out.NextToken = Buffer.from(`${binding}.${next}`).toString('base64');
    return { status: 200, headers: { 'content-type': TYPE }, body: JSON.stringify(out) };
  };

  const server = await serve(handle, requests, now);
  return {
    url: server.url,
    ...creds,
    regions,
    data,
    owners: owners(),
    requests,
    resetLog: () => {
      requests.length = 0;
    },
    injectFault: (f) => faults.add(f),
    close: () => server.close(),
  };
}
