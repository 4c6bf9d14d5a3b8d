// Letting simulated time pass on the Azure simulator, so snapshot syncs of the Bastion active
// sessions can be tested: sessions that stay grow older, a share of them end (they vanish from
// getActiveSessions, as a real Bastion host only shows who is connected now), and new sessions
// start on the hosts. Deterministic per seed.
import { formatStartTime } from './data.js';
import type { Rng } from './prng.js';
import type { AzureSimData, BastionActiveSession } from './types.js';

export interface AzureTimePassing {
  /** Share (0..1) of the active sessions that end. */
  endSessions?: number;
  /** Sessions that start (on hosts picked at random). */
  newSessions?: number;
}

export function passTime(data: AzureSimData, rng: Rng, to: number, ms: number, what: AzureTimePassing): void {
  const lists = data.bastionHosts.map((h) => {
    const key = h.id.toLowerCase();
    if (!data.sessions.has(key)) data.sessions.set(key, []);
    return data.sessions.get(key)!;
  });
  const all = lists.flat();
  const templates: BastionActiveSession[] = all.length ? all : [];
  for (const list of lists) {
    for (let i = list.length - 1; i >= 0; i--) {
      if (rng.next() < (what.endSessions ?? 0)) list.splice(i, 1);
      else list[i].sessionDurationInMins = Math.round((list[i].sessionDurationInMins + ms / 60_000) * 10_000) / 10_000;
    }
  }
  for (let k = 0; k < (what.newSessions ?? 0) && lists.length; k++) {
    const list = lists[rng.int(0, lists.length - 1)];
    const like = templates.length ? rng.pick(templates) : undefined;
    const durationMs = rng.int(1_000, Math.max(1_000, ms));
    list.push({
      sessionId: rng.uuid(),
      startTime: formatStartTime(to - durationMs, k),
      targetSubscriptionId: like?.targetSubscriptionId ?? '',
      resourceType: 'VM',
      targetHostName: like?.targetHostName ?? 'vm-new',
      targetResourceGroup: like?.targetResourceGroup ?? '',
      userName: like?.userName ?? 'new.user@contoso.com',
      targetIpAddress: like?.targetIpAddress ?? '10.0.0.4',
      protocol: like?.protocol ?? 'SSH',
      targetResourceId: like?.targetResourceId ?? '',
      sessionDurationInMins: Math.round((durationMs / 60_000) * 10_000) / 10_000,
    });
  }
}
