// Long-running getActiveSessions operations (api-facts B.1, ARM RPC async-api-reference): 202 + Location
// (+ Azure-AsyncOperation); polls of either URL count against that operation only. Invariant: it answers
// "running" for exactly `lroPolls` polls, then is done for good and its final page 1 never changes.
import type { Page } from './paging.js';

export interface Operation {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  hostName: string;
  /** Lower-cased ARM id of the Bastion host. */
  hostKey: string;
  location: string;
  apiVersion: string;
  polls: number;
  startedAt: number;
  endedAt?: number;
  /** Page 1 of the result, fixed at completion. */
  result?: Page;
}

const MAX_OPERATIONS = 10_000;

export class OperationStore {
  private readonly ops = new Map<string, Operation>();

  constructor(
    private readonly lroPolls: number,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  start(init: Omit<Operation, 'id' | 'polls' | 'startedAt'>): Operation {
    const op: Operation = { ...init, id: this.newId(), polls: 0, startedAt: this.now() };
    this.ops.set(op.id.toLowerCase(), op);
    if (this.ops.size > MAX_OPERATIONS) {
      const oldest = this.ops.keys().next().value;
      if (oldest !== undefined) this.ops.delete(oldest);
    }
    return op;
  }

  get(id: string): Operation | undefined {
    return this.ops.get(id.toLowerCase());
  }

  /** Counts one poll. True when the operation is complete (it then stays complete). */
  poll(op: Operation): boolean {
    if (op.endedAt !== undefined) return true;
    if (op.polls < this.lroPolls) {
      op.polls++;
      return false;
    }
    op.endedAt = this.now();
    return true;
  }
}

/** The 202's Location: …/bastionHosts/{name}/getActiveSessions/operationResults/{opId} (SPEC example BastionSessionsList.json). */
export function locationUrl(base: string, op: Operation): string {
  return (
    `${base}/subscriptions/${op.subscriptionId}/resourceGroups/${op.resourceGroup}/providers/Microsoft.Network` +
    `/bastionHosts/${op.hostName}/getActiveSessions/operationResults/${op.id}?api-version=${encodeURIComponent(op.apiVersion)}`
  );
}

/** Network RP style Azure-AsyncOperation: …/providers/Microsoft.Network/locations/{loc}/operations/{opId}. */
export function asyncOperationPath(op: Operation): string {
  return `/subscriptions/${op.subscriptionId}/providers/Microsoft.Network/locations/${op.location}/operations/${op.id}`;
}

export function asyncOperationUrl(base: string, op: Operation): string {
  return `${base}${asyncOperationPath(op)}?api-version=${encodeURIComponent(op.apiVersion)}`;
}

/** The Azure-AsyncOperation status resource; always read with HTTP 200 (ARM RPC). */
export function operationStatus(op: Operation): Record<string, unknown> {
  const done = op.endedAt !== undefined;
  return {
    id: asyncOperationPath(op),
    name: op.id,
    status: done ? 'Succeeded' : 'InProgress',
    startTime: new Date(op.startedAt).toISOString(),
    ...(done ? { endTime: new Date(op.endedAt as number).toISOString(), percentComplete: 100 } : {}),
  };
}
