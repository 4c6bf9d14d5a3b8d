// Page bodies for the local-engine scenario: CloudConnexa session pages as the API sends them
// (JSON text, 100 sessions, a nextCursor), built from the simulator's own generator. Invariant:
// page k always has the same text, and every session id in the whole sequence is distinct.
import { buildData } from '../src/simulator/cloudconnexa/data.js';
import type { HttpPort, HttpRequest, HttpResponse } from '../src/fetch/types.js';

export const PAGE_ROWS = 100;
const TEMPLATES = 10;
const SENTINEL = '"@@bench-id@@"';

export class PageSource {
  readonly pages: number;
  private readonly fragments: string[][];
  /** Time spent building page text in body() so far, ms (the server's work). */
  genMs = 0;

  readonly rows: number;

  /** `rows` is rounded up to whole pages. */
  constructor(rows: number) {
    this.pages = Math.max(1, Math.ceil(rows / PAGE_ROWS));
    this.rows = this.pages * PAGE_ROWS;
    const data = buildData({ seed: 42, sessions: TEMPLATES * PAGE_ROWS, users: 40, historyDays: 7, now0: Date.UTC(2025, 5, 2, 12) });
    this.fragments = [];
    for (let t = 0; t < TEMPLATES; t++) {
      const items = [];
      for (let i = 0; i < PAGE_ROWS; i++) items.push({ ...data.data.sessionAt(t * PAGE_ROWS + i), id: '@@bench-id@@' });
      this.fragments.push(JSON.stringify({ sessions: items }).split(SENTINEL));
    }
  }

  /** The JSON text of page k (0-based). */
  body(k: number): string {
    const t0 = performance.now();
    const parts = this.fragments[k % TEMPLATES];
    const first = k * PAGE_ROWS;
    let s = parts[0];
    for (let i = 0; i < PAGE_ROWS; i++) s += `"${(first + i).toString(16).padStart(24, '0')}"${parts[i + 1]}`;
    // parts[PAGE_ROWS] ends the object: `…}]}`; the cursor goes before its last brace
    if (k + 1 < this.pages) s = `${s.slice(0, -1)},"nextCursor":"${k + 1}"}`;
    this.genMs += performance.now() - t0;
    return s;
  }

  /** Builds every page's text once more, discarding it; returns the time it took, ms. */
  generateAll(): number {
    const before = this.genMs;
    let length = 0;
    for (let k = 0; k < this.pages; k++) length += this.body(k).length;
    if (length === 0) throw new Error('no page text');
    const ms = this.genMs - before;
    this.genMs = before;
    return ms;
  }

  /**
   * An in-memory HTTP port serving these pages as GET /api/v1/sessions?cursor=k (and any token
   * request), so the whole fetch stage runs with no network.
   */
  httpPort(): HttpPort {
    return {
      request: async (req: HttpRequest): Promise<HttpResponse> => {
        const url = new URL(req.url);
        const headers = { 'content-type': 'application/json' };
        if (url.pathname.endsWith('/oauth/token')) {
          return {
            status: 200,
            headers,
            body: JSON.stringify({ access_token: 'bench-token', token_type: 'bearer', expires_in: 43199, scope: 'default' }),
          };
        }
        // SELECT * lists the regions too (region_name is a lookup column): none here
        if (url.pathname.endsWith('/regions')) return { status: 200, headers, body: '[]' };
        const cursor = url.searchParams.get('cursor');
        return { status: 200, headers, body: this.body(cursor ? Number(cursor) : 0) };
      },
    };
  }
}
