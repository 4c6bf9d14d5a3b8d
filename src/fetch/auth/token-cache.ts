// Caches one bearer token until shortly before it expires (60 s or 10 % of its lifetime, whichever
// is less); concurrent callers share one in-flight token request.
import { isSessqlError } from '../../errors.js';
import type { CallContext } from '../transport.js';

export interface IssuedToken {
  token: string;
  /** Epoch ms; undefined = no expiry given (kept until a 401 drops it). */
  expiresAt?: number;
}

export class TokenCache {
  private current?: IssuedToken & { obtainedAt: number };
  private pending?: Promise<IssuedToken>;

  constructor(
    private readonly now: () => number,
    private readonly fetch: (ctx: CallContext) => Promise<IssuedToken>,
  ) {}

  async get(ctx: CallContext): Promise<string> {
    for (;;) {
      if (this.current && this.isFresh(this.current)) return this.current.token;
      try {
        return (await this.shared(ctx)).token;
      } catch (e) {
        // Another caller's cancellation must not fail this caller: fetch again with our signal.
        if (isSessqlError(e) && e.code === 'CANCELLED' && !ctx.signal?.aborted) continue;
        throw e;
      }
    }
  }

  /** Forgets `token` if it is still the cached one (a newer token is kept). */
  drop(token: string | undefined): void {
    if (token !== undefined && this.current?.token === token) this.current = undefined;
  }

  private shared(ctx: CallContext): Promise<IssuedToken> {
    if (!this.pending) {
      const obtainedAt = this.now();
      this.pending = this.fetch(ctx)
        .then((t) => {
          this.current = { ...t, obtainedAt };
          return t;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return this.pending;
  }

  private isFresh(t: IssuedToken & { obtainedAt: number }): boolean {
    if (t.expiresAt === undefined) return true;
    const margin = Math.min(60_000, 0.1 * Math.max(0, t.expiresAt - t.obtainedAt));
    return this.now() < t.expiresAt - margin;
  }
}
