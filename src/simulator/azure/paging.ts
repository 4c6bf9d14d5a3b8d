// ARM paging (api-facts B.1/B.4 x-ms-pageable): `{value, nextLink?}`, nextLink absolute on the simulator,
// keeping api-version plus an opaque $skipToken. Invariant: later pages come from a snapshot taken at
// page 1, so walking nextLink yields every item exactly once; no nextLink on the last page.

export interface Page {
  value: unknown[];
  nextLink?: string;
}

interface Snapshot {
  key: string;
  items: unknown[];
}

/** How many snapshots are kept before the oldest is dropped (its skip tokens then fail). */
const MAX_SNAPSHOTS = 10_000;

export class Pager {
  private readonly snapshots = new Map<number, Snapshot>();
  private nextId = 1;

  constructor(private readonly pageSize: number) {}

  /**
   * Page 1 of `items`. `base` is the absolute URL (without query) that serves later pages on GET;
   * its lower-cased path is the key a skip token is bound to.
   */
  first(items: unknown[], base: string, apiVersion: string): Page {
    const copy = items.map((item) => (item && typeof item === 'object' ? { ...(item as object) } : item));
    if (this.pageSize <= 0 || copy.length <= this.pageSize) return { value: copy };
    const id = this.nextId++;
    this.snapshots.set(id, { key: keyOf(base), items: copy });
    if (this.snapshots.size > MAX_SNAPSHOTS) {
      const oldest = this.snapshots.keys().next().value;
      if (oldest !== undefined) this.snapshots.delete(oldest);
    }
    return this.slice(id, copy, 0, base, apiVersion);
  }

  /** A later page, or undefined when the token is unknown or belongs to another list. */
  resume(token: string, base: string, apiVersion: string): Page | undefined {
    const parsed = decodeToken(token);
    if (!parsed) return undefined;
    const snap = this.snapshots.get(parsed.id);
    if (!snap || snap.key !== keyOf(base) || parsed.offset > snap.items.length) return undefined;
    return this.slice(parsed.id, snap.items, parsed.offset, base, apiVersion);
  }

  private slice(id: number, items: unknown[], offset: number, base: string, apiVersion: string): Page {
    const end = offset + this.pageSize;
    const value = items.slice(offset, end);
    // the snapshot outlives its last page so a retried GET of any nextLink answers the same
    if (end >= items.length) return { value };
    const token = encodeToken(id, end);
    return { value, nextLink: `${base}?api-version=${encodeURIComponent(apiVersion)}&$skipToken=${token}` };
  }
}

function keyOf(base: string): string {
  return new URL(base).pathname.replace(/\/+$/, '').toLowerCase();
}

function encodeToken(id: number, offset: number): string {
  return Buffer.from(JSON.stringify({ s: id, o: offset, v: 1 })).toString('base64url');
}

function decodeToken(token: string): { id: number; offset: number } | undefined {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (typeof raw.s !== 'number' || typeof raw.o !== 'number' || raw.o < 0) return undefined;
    return { id: raw.s, offset: raw.o };
  } catch {
    return undefined;
  }
}
