// Runs a built-in simulator for a benchmark, in a child process when the bench runs from dist/ (so
// the fake API's CPU work and memory stay out of the measured process) or inline from TS sources
// (the smoke test). Invariant: both modes expose the same summary of what the server received.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startAzureSimulator, type AzureSimOptions } from '../src/simulator/azure/index.js';
import { startCloudConnexaSimulator, type CloudConnexaSimOptions } from '../src/simulator/cloudconnexa/index.js';

/**
 * A simulator and its options (plain data: it crosses IPC). `clockAnchorMs` starts the simulator's
 * clock at that instant (then it runs in real time), so restarted simulators generate equal data.
 */
export type SimSpec = (
  { kind: 'cloudconnexa'; options: Omit<CloudConnexaSimOptions, 'now'> } | { kind: 'azure'; options: Omit<AzureSimOptions, 'now'> }
) & {
  clockAnchorMs?: number;
};

function clock(anchor: number | undefined): (() => number) | undefined {
  if (anchor === undefined) return undefined;
  const t0 = Date.now();
  return () => anchor + (Date.now() - t0);
}

/** What the server saw since the last reset; token requests are not API requests. */
export interface SimSummary {
  apiRequests: number;
  tokenRequests: number;
  /** API requests answered 429. */
  throttled: number;
  /** API requests per path class: `sessions`, `subscriptions`, `getActiveSessions`, `poll`, … */
  byKind: Record<string, number>;
  /** CPU the simulator process used since the last reset, ms (null when it runs inline). */
  serverCpuMs: number | null;
  /** CloudConnexa: requests per time window (`startDate…endDate`), i.e. the pages of each cursor chain. */
  windows: Record<string, number>;
}

/** Facts about the simulated data that lower bounds need (Azure: hosts, LRO hosts, session pages). */
export interface SimFacts {
  /** Azure: per host, [answers with a 202, number of sessions]. */
  hosts?: Array<[boolean, number]>;
  subscriptions?: number;
}

export interface SimHandle {
  url: string;
  clientId: string;
  clientSecret: string;
  token: string;
  facts: SimFacts;
  summary(): Promise<SimSummary>;
  reset(): Promise<void>;
  close(): Promise<void>;
  /** 'process' (child process) or 'inline' (this process). */
  mode: 'process' | 'inline';
}

interface Started {
  url: string;
  clientId: string;
  clientSecret: string;
  token: string;
  facts: SimFacts;
  summary: () => SimSummary;
  reset: () => void;
  close: () => Promise<void>;
}

/** Starts a simulator in this process (used directly by the child entry and by inline mode). */
export async function startInline(spec: SimSpec): Promise<Started> {
  if (spec.kind === 'cloudconnexa') {
    const sim = await startCloudConnexaSimulator({ ...spec.options, now: clock(spec.clockAnchorMs) });
    return {
      url: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      token: '',
      facts: {},
      summary: () =>
        summarise(
          sim.requests.map((r) => ({
            kind: /\/oauth\/token$/.test(r.path) ? 'token' : (r.path.split('/').pop() ?? ''),
            status: r.status,
            window: r.path.endsWith('/sessions') ? `${r.query.startDate ?? '(default)'}…${r.query.endDate ?? ''}` : undefined,
          })),
        ),
      reset: () => sim.resetLog(),
      close: () => sim.close(),
    };
  }
  const sim = await startAzureSimulator({ ...spec.options, now: clock(spec.clockAnchorMs) });
  const lro = spec.options.lro ?? 'half';
  const hosts = sim.data.bastionHosts.map((h, i): [boolean, number] => {
    const isLro = lro === 'all' || (lro === 'half' && i % 2 === 1) || (typeof lro === 'function' && lro(h.name));
    return [isLro, sim.data.sessions.get(h.id.toLowerCase())?.length ?? 0];
  });
  return {
    url: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    token: sim.token,
    facts: { hosts, subscriptions: sim.data.subscriptions.length },
    summary: () => summarise(sim.requests.map((r) => ({ kind: r.kind, status: r.status }))),
    reset: () => sim.resetLog(),
    close: () => sim.close(),
  };
}

function summarise(log: Array<{ kind: string; status: number; window?: string }>): SimSummary {
  const s: SimSummary = { apiRequests: 0, tokenRequests: 0, throttled: 0, byKind: {}, serverCpuMs: null, windows: {} };
  for (const r of log) {
    if (r.kind === 'token') {
      s.tokenRequests++;
      continue;
    }
    s.apiRequests++;
    if (r.status === 429) s.throttled++;
    s.byKind[r.kind] = (s.byKind[r.kind] ?? 0) + 1;
    if (r.window !== undefined) s.windows[r.window] = (s.windows[r.window] ?? 0) + 1;
  }
  return s;
}

const CHILD_ENTRY = fileURLToPath(new URL('./sim-process.js', import.meta.url));

/** Child process when the compiled entry exists (running from dist/), else inline. */
export async function startSim(spec: SimSpec, prefer: 'process' | 'inline' = 'process'): Promise<SimHandle> {
  if (prefer === 'process' && import.meta.url.endsWith('.js') && existsSync(CHILD_ENTRY)) return startChild(spec);
  const s = await startInline(spec);
  return {
    ...s,
    mode: 'inline',
    summary: async () => s.summary(),
    reset: async () => s.reset(),
  };
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

async function startChild(spec: SimSpec): Promise<SimHandle> {
  const child: ChildProcess = fork(CHILD_ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.error));
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`simulator process exited (${code})`));
    pending.clear();
  });
  const call = <T>(cmd: string, arg?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, arg });
    });
  const started = await call<Omit<Started, 'summary' | 'reset' | 'close'>>('start', spec);
  return {
    ...started,
    mode: 'process',
    summary: () => call<SimSummary>('summary'),
    reset: () => call<void>('reset'),
    close: async () => {
      await call<void>('close').catch(() => undefined);
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}
