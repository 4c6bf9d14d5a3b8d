// Fault injection queue: the next requests matching a Fault's path answer with its status/body,
// optionally after skipping `after` matches, `times` times (default 1), with an extra delay.
// Invariant: faults are consulted in insertion order and each request is claimed by at most one.
import type { Fault } from './types.js';

interface Armed {
  fault: Fault;
  skipped: number;
  used: number;
}

function matches(f: Fault, path: string): boolean {
  if (f.path === undefined) return true;
  if (typeof f.path === 'string') return path === f.path;
  f.path.lastIndex = 0;
  return f.path.test(path);
}

export class FaultQueue {
  private armed: Armed[] = [];

  add(f: Fault): void {
    const times = f.times ?? 1;
    if (!Number.isInteger(f.status) || f.status < 100 || f.status > 599) throw new RangeError(`fault status ${f.status} is not an HTTP status`);
    if (!(times >= 1)) throw new RangeError(`fault times must be ≥ 1, got ${times}`);
    this.armed.push({ fault: f, skipped: 0, used: 0 });
  }

  /** The fault that claims this request, if any (consumes one use). */
  claim(path: string): Fault | undefined {
    for (const a of this.armed) {
      if (!matches(a.fault, path)) continue;
      if (a.skipped < (a.fault.after ?? 0)) {
        a.skipped++;
        continue;
      }
      a.used++;
      if (a.used >= (a.fault.times ?? 1)) this.armed = this.armed.filter((x) => x !== a);
      return a.fault;
    }
    return undefined;
  }
}
