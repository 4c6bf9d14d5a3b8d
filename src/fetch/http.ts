// The HTTP port over axios (the only module importing axios): keep-alive agents, raw text bodies,
// no redirects, every status returned as a response. Only network failures, the per-request
// timeout and aborts throw, as TransportError; axios errors (which hold headers) never escape.
import type http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import type { AxiosInstance, AxiosResponse, AxiosStatic } from 'axios';
import type { HttpPort, HttpRequest, HttpResponse } from './types.js';
import { TransportError, networkError } from './transport-error.js';

// axios (and node's http, https and tls) load only when a fetch starts: statements that make no
// request start faster
const requireCjs = createRequire(import.meta.url);

export function createAxiosHttp(): HttpPort {
  let axiosInstance: AxiosInstance | undefined;
  const client = (): AxiosInstance =>
    (axiosInstance ??= (requireCjs('axios') as AxiosStatic).create({
      httpAgent: new (requireCjs('node:http') as typeof http).Agent({ keepAlive: true }),
      httpsAgent: new (requireCjs('node:https') as typeof https).Agent({ keepAlive: true }),
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
    }));
  // A port is made when a statement's first fetch starts: axios (~50 ms to load) loads on the next
  // turn of the event loop, while the caller builds its first (token) request, not after it.
  const warm = setImmediate(client);
  warm.unref();
  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      // one controller per request, aborted by the timeout or by the caller's signal (a listener
      // removed afterwards: AbortSignal.any would tie a dependent signal to the statement's for
      // every request of a long run)
      const controller = new AbortController();
      const timeout = { expired: false };
      const timer = setTimeout(() => {
        timeout.expired = true;
        controller.abort();
      }, req.timeoutMs);
      const cancel = () => controller.abort();
      req.signal?.addEventListener('abort', cancel);
      if (req.signal?.aborted) controller.abort();
      const signal = controller.signal;
      try {
        // `false` stops axios adding its default form content type to a body-less POST.
        const headers = { ...(req.body === undefined ? { 'Content-Type': false } : {}), ...req.headers };
        // the body is buffered only up to maxBytes: a larger one is cut off, not held whole
        const limit = req.maxBytes === undefined ? {} : { maxContentLength: req.maxBytes };
        const res = await client().request({ method: req.method, url: req.url, headers, data: req.body, signal, ...limit });
        return toResponse(res);
      } catch (e) {
        throw toTransportError(e, req, timeout.expired);
      } finally {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', cancel);
      }
    },
  };
}

function toResponse(res: AxiosResponse): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers ?? {})) {
    if (value === undefined || value === null) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const body = typeof res.data === 'string' ? res.data : res.data == null ? '' : String(res.data);
  return { status: res.status, headers, body };
}

function toTransportError(e: unknown, req: HttpRequest, timedOut: boolean): TransportError {
  if (req.signal?.aborted) return new TransportError('aborted', 'the request was cancelled');
  if (timedOut) return new TransportError('timeout', `no response within ${req.timeoutMs} ms`);
  const errno = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;
  const reason = e instanceof Error ? e.message : String(e);
  if (/maxContentLength size of \d+ exceeded/.test(reason))
    return new TransportError('too-large', `the response is larger than ${req.maxBytes} bytes`);
  return networkError(errno, reason);
}
