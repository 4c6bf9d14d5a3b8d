// Deterministic Session Manager sessions per region (api-facts-boundary-ssm.md B.3): Active ones
// (Connected, Connecting, Disconnected; no EndDate) and History ones (Terminated, Failed; past 30
// days), dates as epoch seconds with a millisecond fraction, newest first.
import { createRng } from '../shared/prng.js';

export interface SsmSession {
  SessionId: string;
  Target: string;
  Status: string;
  StartDate: number;
  EndDate?: number;
  DocumentName?: string;
  Owner: string;
  Reason?: string;
  OutputUrl: Record<string, string>;
  MaxSessionDuration?: string;
  AccessType: string;
}

export interface RegionSessions {
  Active: SsmSession[];
  History: SsmSession[];
}

const ACCOUNT = '123456789012';
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'Matt', 'erin'];
const DOCS = ['SSM-SessionManagerRunShell', 'AWS-StartPortForwardingSession', 'AWS-StartSSHSession'];

export function owners(): string[] {
  return PEOPLE.map((p, i) => (i % 2 === 0 ? `arn:aws:sts::${ACCOUNT}:assumed-role/Administrator/${p}` : `arn:aws:iam::${ACCOUNT}:user/${p}`));
}

export function generateSsmData(seed: number, now: number, regions: string[], perRegion: number): Map<string, RegionSessions> {
  const out = new Map<string, RegionSessions>();
  const who = owners();
  regions.forEach((region, ri) => {
    const rng = createRng(seed * 31 + ri);
    const hex = (n: number) => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');
    const targets = Array.from({ length: 5 }, () => `i-0${hex(16)}`);
    const Active: SsmSession[] = [];
    const History: SsmSession[] = [];
    for (let i = 0; i < perRegion; i++) {
      const owner = rng.pick(who);
      const name = owner.split('/').pop()!;
      const history = rng.chance(0.55);
      const start = (now - (history ? rng.int(3_600_000, 29 * 86_400_000) : rng.int(10_000, 8 * 3_600_000))) / 1000;
      const s: SsmSession = {
        SessionId: `${name}-${hex(17)}`,
        Target: rng.pick(targets),
        Status: history
          ? rng.chance(0.9)
            ? 'Terminated'
            : 'Failed'
          : rng.pick(['Connected', 'Connected', 'Connected', 'Disconnected', 'Connecting']),
        StartDate: Math.round(start * 1000) / 1000,
        Owner: owner,
        OutputUrl: rng.chance(0.3) ? { S3OutputUrl: `https://s3.${region}.amazonaws.com/ssm-logs/${name}.log`, CloudWatchOutputUrl: '' } : {},
        AccessType: rng.chance(0.85) ? 'Standard' : 'JustInTime',
      };
      if (rng.chance(0.9)) s.DocumentName = rng.pick(DOCS);
      if (rng.chance(0.4)) s.Reason = rng.pick(['incident response', 'deploy', 'debugging']);
      if (rng.chance(0.7)) s.MaxSessionDuration = String(rng.pick([60, 120, 480, 1440]));
      if (history) s.EndDate = Math.round((start + rng.int(60, 7200)) * 1000) / 1000;
      (history ? History : Active).push(s);
    }
    const newest = (a: SsmSession, b: SsmSession) => b.StartDate - a.StartDate;
    out.set(region, { Active: Active.sort(newest), History: History.sort(newest) });
  });
  return out;
}
