// One fault-injection shape for the simulators: the next requests matching a fault answer with its
// status (and body or headers) instead of the real reply. Invariant: faults are consulted in
// insertion order, a fault skips its first `after` matches and fires `times` times (default 1).

export interface SimFault {
  /** Substring of the path (case-insensitive), or a RegExp tested against it; absent = every path. */
  path?: string | RegExp;
  method?: string;
  status: number;
  /** Vendor error code and message; the simulator wraps them in its own error envelope. */
  code?: string;
  message?: string;
  /** A raw body sent as is (e.g. '' for an empty 429). */
  body?: string;
  retryAfterSeconds?: number;
  times?: number;
  after?: number;
}

interface Armed {
  fault: SimFault;
  skipped: number;
  used: number;
}

export class FaultSet {
  private armed: Armed[] = [];

  add(f: SimFault): void {
    if (!Number.isInteger(f.status) || f.status < 100 || f.status > 599) throw new RangeError(`fault status ${f.status} is not an HTTP status`);
    this.armed.push({ fault: f, skipped: 0, used: 0 });
  }

  clear(): void {
    this.armed = [];
  }

  /** The fault that claims this request, if any (consumes one use). */
  take(method: string, path: string): SimFault | undefined {
    for (const a of this.armed) {
      const f = a.fault;
      if (f.method && f.method.toUpperCase() !== method.toUpperCase()) continue;
      if (f.path !== undefined) {
        const hit = typeof f.path === 'string' ? path.toLowerCase().includes(f.path.toLowerCase()) : f.path.test(path);
        if (!hit) continue;
      }
      if (a.skipped < (f.after ?? 0)) {
        a.skipped++;
        continue;
      }
      a.used++;
      if (a.used >= (f.times ?? 1)) this.armed = this.armed.filter((x) => x !== a);
      return f;
    }
    return undefined;
  }
}
