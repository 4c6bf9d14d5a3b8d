import { describe, expect, it } from 'vitest';
import type { PaginationSpec } from '../../src/manifest/schema.js';
import { collect, json, makeCall, makeClient, rejectionOf, startServer } from './helpers.js';

const cursor: PaginationSpec = { kind: 'cursor', param: 'cursor', field: 'nextCursor' };
const page = (size: number, firstPage = 0): PaginationSpec => ({
  kind: 'page',
  pageParam: 'page',
  sizeParam: 'size',
  size,
  firstPage,
  totalPagesField: 'totalPages',
});
const nextLink: PaginationSpec = { kind: 'nextLink', field: 'nextLink' };

describe('pagination', async () => {
  const server = await startServer();

  describe('cursor', () => {
    it('follows the cursor, keeps the other query parameters, ends when the field is absent', async () => {
      server.handle((q, res) => {
        const n = q.query.cursor ? Number(q.query.cursor.slice(1)) : 0;
        json(res, 200, { sessions: [{ n }], ...(n < 2 ? { nextCursor: `c${n + 1}` } : {}) });
      });
      const { client } = makeClient(server);
      const before = server.seen.length;
      const { pages, stats } = await collect(
        client,
        makeCall({ rows: 'sessions', pagination: cursor, request: { method: 'GET', path: '/s', query: { size: 100 } } }),
      );
      expect(pages).toEqual([[{ n: 0 }], [{ n: 1 }], [{ n: 2 }]]);
      expect(stats).toMatchObject({ pages: 3, rows: 3, requests: 3 });
      const queries = server.seen.slice(before).map((s) => s.query);
      expect(queries).toEqual([{ size: '100' }, { size: '100', cursor: 'c1' }, { size: '100', cursor: 'c2' }]);
    });

    it.each([null, ''])('ends when the cursor is %j', async (last) => {
      server.handle((q, res) => json(res, 200, { sessions: [1], nextCursor: q.query.cursor ? last : 'c1' }));
      const { client } = makeClient(server);
      expect((await collect(client, makeCall({ rows: 'sessions', pagination: cursor }))).stats.pages).toBe(2);
    });

    it('a cursor seen before is PAGINATION_LOOP', async () => {
      server.handle((q, res) => json(res, 200, { sessions: [1], nextCursor: q.query.cursor === 'b' ? 'a' : q.query.cursor ? 'b' : 'a' }));
      const { client } = makeClient(server);
      const err = await rejectionOf(collect(client, makeCall({ rows: 'sessions', pagination: cursor })));
      expect(err.code).toBe('PAGINATION_LOOP');
      expect(err.message).toContain('testprov.svc.items');
    });

    it('endless fresh cursors on empty pages are PAGINATION_LOOP after a bounded streak (issue 9 #3)', async () => {
      let n = 0;
      server.handle((_q, res) => json(res, 200, { sessions: [], nextCursor: `fresh-${++n}` }));
      const { client } = makeClient(server);
      const before = server.seen.length;
      const err = await rejectionOf(collect(client, makeCall({ rows: 'sessions', pagination: cursor })));
      expect(err.code).toBe('PAGINATION_LOOP');
      expect(err.message).toContain('empty pages in a row');
      expect(server.seen.length - before).toBe(25);
    });

    it('a few empty pages between full ones are fine; the page cap ends a call that never ends', async () => {
      let n = 0;
      server.handle((_q, res) => json(res, 200, { sessions: ++n % 3 === 0 ? [n] : [], nextCursor: `c${n}` }));
      const { client } = makeClient(server, { maxPages: 40 });
      const err = await rejectionOf(collect(client, makeCall({ rows: 'sessions', pagination: cursor })));
      expect(err.code).toBe('PAGINATION_LOOP');
      expect(err.message).toContain('after 40 pages');
    });
  });

  describe('page', () => {
    const content = (p: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${p}-${i}` }));

    it('walks pages from firstPage until page+1 >= totalPages', async () => {
      server.handle((q, res) => json(res, 200, { content: content(Number(q.query.page), 2), totalPages: 3, page: Number(q.query.page) }));
      const { client } = makeClient(server);
      const before = server.seen.length;
      const { stats } = await collect(client, makeCall({ rows: 'content', pagination: page(2) }));
      expect(stats.pages).toBe(3);
      expect(server.seen.slice(before).map((s) => s.query)).toEqual([
        { page: '0', size: '2' },
        { page: '1', size: '2' },
        { page: '2', size: '2' },
      ]);
    });

    it('supports 1-based pages', async () => {
      server.handle((q, res) => json(res, 200, { content: content(Number(q.query.page), 2), totalPages: 2 }));
      const { client } = makeClient(server);
      const before = server.seen.length;
      await collect(client, makeCall({ rows: 'content', pagination: page(2, 1) }));
      expect(server.seen.slice(before).map((s) => s.query.page)).toEqual(['1', '2']);
    });

    it('without a total stops at a short page', async () => {
      server.handle((q, res) => json(res, 200, { content: content(Number(q.query.page), q.query.page === '2' ? 1 : 2) }));
      const { client } = makeClient(server);
      const { stats } = await collect(client, makeCall({ rows: 'content', pagination: page(2) }));
      expect(stats).toMatchObject({ pages: 3, rows: 5 });
    });

    it('stops at an empty page', async () => {
      server.handle((q, res) => json(res, 200, { content: q.query.page === '1' ? [] : content(0, 2), totalPages: 9 }));
      const { client } = makeClient(server);
      expect((await collect(client, makeCall({ rows: 'content', pagination: page(2) }))).stats.pages).toBe(2);
    });

    it('an API that ignores the page parameter is PAGINATION_LOOP, not endless', async () => {
      server.handle((_q, res) => json(res, 200, { content: content(0, 2) }));
      const { client } = makeClient(server);
      const err = await rejectionOf(collect(client, makeCall({ rows: 'content', pagination: page(2) })));
      expect(err.code).toBe('PAGINATION_LOOP');
      expect(client.totals.requests).toBe(2);
    });
  });

  describe('nextLink', () => {
    it('GETs the absolute next link (with auth) until it is absent', async () => {
      server.handle((q, res) => {
        const n = Number(q.query.n ?? 0);
        json(res, 200, { value: [{ n }], ...(n < 2 ? { nextLink: `${server.url}/list?api-version=1&$skipToken=t${n + 1}&n=${n + 1}` } : {}) });
      });
      const { client } = makeClient(server, { specExtra: { auth: { kind: 'bearer', tokenConfig: 'token' } }, config: { token: 'tkn-abc' } });
      const before = server.seen.length;
      const { rows } = await collect(
        client,
        makeCall({ rows: 'value', pagination: nextLink, request: { method: 'POST', path: '/list', query: { 'api-version': 1 } } }),
      );
      expect(rows).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      const seen = server.seen.slice(before);
      expect(seen.map((s) => s.method)).toEqual(['POST', 'GET', 'GET']);
      expect(seen.every((s) => s.headers.authorization === 'Bearer tkn-abc')).toBe(true);
    });

    it('a link to another origin is MALFORMED_RESPONSE and is not followed', async () => {
      server.handle((_q, res) => json(res, 200, { value: [1], nextLink: 'https://evil.example.com/steal?x=1' }));
      const { client } = makeClient(server);
      const err = await rejectionOf(collect(client, makeCall({ rows: 'value', pagination: nextLink })));
      expect(err.code).toBe('MALFORMED_RESPONSE');
      expect(err.message).toContain('https://evil.example.com');
      expect(client.totals.requests).toBe(1);
    });

    it('a repeated link is PAGINATION_LOOP', async () => {
      server.handle((_q, res) => json(res, 200, { value: [1], nextLink: `${server.url}/items?again=1` }));
      const { client } = makeClient(server);
      const err = await rejectionOf(collect(client, makeCall({ rows: 'value', pagination: nextLink })));
      expect(err.code).toBe('PAGINATION_LOOP');
      expect(client.totals.requests).toBe(2);
    });
  });

  describe('none and rows paths', () => {
    it.each([
      ['$', [1, 2], [1, 2]],
      ['value', { value: [1] }, [1]],
      ['data.items', { data: { items: [1, 2, 3] } }, [1, 2, 3]],
      ['value', { value: null }, []],
    ])('rows %s', async (rows, body, want) => {
      server.handle((_q, res) => json(res, 200, body));
      const { client } = makeClient(server);
      expect((await collect(client, makeCall({ rows }))).rows).toEqual(want);
    });

    it('none makes one request even if the body has a next link', async () => {
      server.handle((_q, res) => json(res, 200, { value: [1], nextLink: `${server.url}/x` }));
      const { client } = makeClient(server);
      await collect(client, makeCall({ rows: 'value' }));
      expect(client.totals.requests).toBe(1);
    });
  });

  describe('maxRows', () => {
    it('stops requesting pages once maxRows rows were delivered', async () => {
      server.handle((q, res) => {
        const n = Number(q.query.cursor ?? 0);
        json(res, 200, { sessions: [{ n }, { n }], nextCursor: String(n + 1) });
      });
      const { client } = makeClient(server);
      const { stats } = await collect(client, makeCall({ rows: 'sessions', pagination: cursor, maxRows: 3 }));
      expect(stats).toMatchObject({ pages: 2, rows: 4, requests: 2 });
    });
  });
});
