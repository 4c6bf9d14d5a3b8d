// Keeps secrets out of everything sessql prints: URLs are shown as path plus non-secret query
// parameters, and every error leaving the fetch stage is scrubbed of known secret values.
import { SessqlError } from '../errors.js';

const SECRET_PARAM = /secret|token|password|passwd|pwd|key|sig|auth|credential|client_id|code/i;

/** `/path?safe=1` for an absolute or origin-relative URL, without secret query parameters or userinfo. */
export function displayPath(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://placeholder.invalid');
  } catch {
    return '<unparseable URL>';
  }
  const kept = [...parsed.searchParams].filter(([name]) => !SECRET_PARAM.test(name));
  const query = new URLSearchParams(kept).toString();
  return parsed.pathname + (query ? `?${query}` : '');
}

/** Known secret values (client secrets, tokens, Basic credentials) for one provider client. */
export class SecretSet {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value && value.length >= 4) this.values.add(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join('***');
    return out;
  }

  /** A copy of the error with message, hint and details scrubbed; `cause` is dropped if it holds a secret. */
  scrubError(e: SessqlError): SessqlError {
    const details = e.details === undefined ? undefined : (this.scrubValue(e.details) as Record<string, unknown>);
    const message = this.scrub(e.message);
    const hint = e.hint === undefined ? undefined : this.scrub(e.hint);
    if (message === e.message && hint === e.hint && JSON.stringify(details) === JSON.stringify(e.details)) return e;
    const copy = new SessqlError(e.code, message, { hint, details });
    copy.stack = this.scrub(e.stack ?? '');
    return copy;
  }

  private scrubValue(v: unknown): unknown {
    if (typeof v === 'string') return this.scrub(v);
    if (Array.isArray(v)) return v.map((x) => this.scrubValue(x));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.scrubValue(x)]));
    }
    return v;
  }
}
