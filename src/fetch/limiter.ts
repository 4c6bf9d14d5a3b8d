// A FIFO counting semaphore bounding HTTP requests in flight per provider client. Held only around
// one HTTP exchange, never across sleeps, so waits (backoff, LRO polls) leave slots free.
import { cancelled } from './abort.js';

export class Limiter {
  private active = 0;
  private readonly waiters: Array<{ grant: () => void; signal?: AbortSignal; onAbort: () => void }> = [];

  constructor(readonly max: number) {}

  get inFlight(): number {
    return this.active;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        signal,
        grant: () => {
          signal?.removeEventListener('abort', waiter.onAbort);
          resolve();
        },
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(cancelled());
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Hands the slot to the next waiter (the count stays) or frees it. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.active--;
  }
}
