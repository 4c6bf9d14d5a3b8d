// Output values (issue 9 #8, issue 13): exact integers, Inf, blobs, native booleans and JSON in
// every format; and streaming (issue 9 #7): csv/json/ndjson write rows as they are read.
import { describe, expect, it } from 'vitest';
import { render, renderTo, outputFormats, type RenderInput } from '../../src/output/render.js';
import { renderHtml } from '../../src/cli/report/html.js';
import { createEngine } from '../../src/engine/engine.js';

const BIG = 9007199254740993n;
const input: RenderInput = {
  columns: ['big', 'inf', 'ninf', 'blob', 'flag', 'doc', 'text'],
  rows: [[BIG, Infinity, -Infinity, new Uint8Array([0, 255, 16]), 1, '{"os":"Linux","tags":["a"]}', 'x']],
  types: [undefined, undefined, undefined, undefined, 'boolean', 'json', undefined],
};

describe('values in every format', () => {
  it('json: exact integers, 1e999, hex blobs, native booleans and JSON', () => {
    const text = render('json', input);
    expect(text).toBe(
      '[\n  {\n    "big": 9007199254740993,\n    "inf": 1e999,\n    "ninf": -1e999,\n    "blob": "X\'00FF10\'",\n    "flag": true,\n    "doc": {\n      "os": "Linux",\n      "tags": [\n        "a"\n      ]\n    },\n    "text": "x"\n  }\n]\n',
    );
    // valid JSON: parsers read 1e999 as infinity
    expect(JSON.parse(text)[0].inf).toBe(Infinity);
  });

  it('ndjson', () => {
    expect(render('ndjson', input)).toBe(
      '{"big":9007199254740993,"inf":1e999,"ninf":-1e999,"blob":"X\'00FF10\'","flag":true,"doc":{"os":"Linux","tags":["a"]},"text":"x"}\n',
    );
  });

  it('csv, table and markdown print the same text', () => {
    expect(render('csv', input)).toBe(
      'big,inf,ninf,blob,flag,doc,text\r\n9007199254740993,Inf,-Inf,X\'00FF10\',true,"{""os"":""Linux"",""tags"":[""a""]}",x\r\n',
    );
    for (const f of ['table', 'markdown'] as const) {
      const text = render(f, input);
      for (const want of ['9007199254740993', 'Inf', '-Inf', "X'00FF10'", 'true']) expect(text, f).toContain(want);
      expect(text).not.toContain('Buffer');
    }
  });

  it('the HTML report shows booleans as true/false', () => {
    const html = renderHtml({
      title: 't',
      generatedAt: new Date(0),
      generator: 'sessql',
      sources: [],
      maxRows: 10,
      sections: [
        {
          title: 's',
          description: [],
          columns: ['flag', 'n'],
          rows: [
            [1, BIG],
            [0, 1],
          ],
          types: ['boolean', undefined],
          sql: 'SELECT 1',
          file: 'f.sql',
          line: 1,
        },
      ],
    });
    expect(html).toContain('<td>true</td>');
    expect(html).toContain('<td>false</td>');
    expect(html).toContain('9007199254740993');
  });

  it('a JSON column whose text is not JSON stays a string; 0/1 without the hint stay numbers', () => {
    const r: RenderInput = { columns: ['doc', 'n'], rows: [['not json', 1]], types: ['json', undefined] };
    expect(render('ndjson', r)).toBe('{"doc":"not json","n":1}\n');
  });
});

describe('streaming', () => {
  it.each(['csv', 'json', 'ndjson'] as const)('%s writes while rows are still being read', (format) => {
    let produced = 0;
    const writesBeforeEnd: number[] = [];
    function* rows() {
      for (let i = 0; i < 20_000; i++) {
        produced++;
        yield [i, `row ${i} ${'x'.repeat(40)}`];
      }
    }
    const chunks: string[] = [];
    renderTo(format, { columns: ['i', 's'], rows: rows() }, {}, (c) => {
      chunks.push(c);
      if (produced < 20_000) writesBeforeEnd.push(produced);
    });
    expect(writesBeforeEnd.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(render(format, { columns: ['i', 's'], rows: [...rows()] }));
  });

  it('every format renders an empty result', () => {
    for (const f of outputFormats) expect(() => render(f, { columns: ['a'], rows: [] })).not.toThrow();
    expect(render('json', { columns: ['a'], rows: [] })).toBe('[]\n');
  });
});

describe('the engine reads exact values and type hints', () => {
  it('integers beyond 2^53, Inf and blobs (issue 9 #8)', async () => {
    const engine = createEngine({ env: {} });
    try {
      const r = await engine.query("SELECT 9007199254740993 AS big, -9007199254740993 AS neg, 42 AS small, 1e999 AS inf, x'00ff' AS b");
      expect(r.rows[0][0]).toBe(BIG);
      expect(r.rows[0][1]).toBe(-BIG);
      expect(r.rows[0][2]).toBe(42);
      expect(r.rows[0][3]).toBe(Infinity);
      expect(Buffer.from(r.rows[0][4] as Uint8Array).toString('hex')).toBe('00ff');
    } finally {
      engine.close();
    }
  });

  it('stream() hands rows out one at a time and cleans up when the consumer moves on', async () => {
    const engine = createEngine({ env: {} });
    try {
      const seen: number[] = [];
      for await (const r of engine.stream(
        'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 100000) SELECT n FROM c; SELECT 7',
      )) {
        for (const row of r.rows) {
          seen.push(Number(row[0]));
          if (seen.length === 3) break;
        }
      }
      expect(seen).toEqual([1, 2, 3, 7]);
    } finally {
      engine.close();
    }
  });
});

describe('type hints from the manifests (issue 13: native JSON and booleans)', () => {
  it('a boolean and a JSON resource column keep their hint through the statement view, joins and subqueries', async () => {
    const { startCloudConnexaSimulator } = await import('../../src/simulator/cloudconnexa/index.js');
    const { ccEngine } = await import('../helpers/engines.js');
    const sim = await startCloudConnexaSimulator({ seed: 1 });
    const engine = ccEngine(sim);
    try {
      const users = await engine.query('SELECT username, licensed, licensed + 0 AS n FROM cloudconnexa.vpn.users LIMIT 1');
      expect(users.types).toEqual([undefined, 'boolean', undefined]);
      expect(render('ndjson', users)).toMatch(/"licensed":(true|false),"n":[01]\}/);
      const devices = await engine.query('SELECT d.platform FROM (SELECT * FROM cloudconnexa.vpn.devices) d LIMIT 1');
      expect(devices.types).toEqual(['json']);
      expect(render('ndjson', devices)).toMatch(/^\{"platform":\{"os":/);
    } finally {
      engine.close();
      await sim.close();
    }
  });
});
