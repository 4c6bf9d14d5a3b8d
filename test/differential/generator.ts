// Seeded generator of analyst statements for the differential suite. Each statement is made once
// and rendered twice: for sessql (three-part table names, the idioms an analyst writes) and for
// the oracle (plain SQLite tables whose timestamps are in SQLite's own `YYYY-MM-DD HH:MM:SS.SSS`
// form, with each time idiom written so plain SQLite gives it its instant meaning).

export interface Domain {
  userNames: string[];
  regions: string[];
  /** Instants (ms) of session starts, to put bounds near real rows. */
  starts: number[];
  subscriptions: string[];
  resourceGroups: string[];
  hosts: string[];
  protocols: string[];
  now: number;
}

export interface Generated {
  sessql: string;
  oracle: string;
  /** Rows may come in any order (no ORDER BY that fixes it): compare as multisets. */
  unordered: boolean;
  /** A LIMIT without an ORDER BY that fixes the rows: only the count can be compared. */
  countOnly: boolean;
  shape: string;
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Part = string | { q: string; o: string };

/** A statement under construction: text parts, some of which differ between the two renderings. */
class Text {
  readonly parts: Part[] = [];
  add(...p: Part[]): this {
    this.parts.push(...p);
    return this;
  }
  render(which: 'q' | 'o'): string {
    return this.parts.map((p) => (typeof p === 'string' ? p : p[which])).join('');
  }
}

const TABLES = {
  S: { q: 'cloudconnexa.vpn.sessions', o: 'sessions' },
  R: { q: 'cloudconnexa.vpn.regions', o: 'regions' },
  U: { q: 'cloudconnexa.vpn.users', o: 'users' },
  A: { q: 'azure.network.active_sessions', o: 'active_sessions' },
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function isoParts(ms: number) {
  const d = new Date(ms);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    ms: pad(d.getUTCMilliseconds(), 3),
  };
}

export class StatementGenerator {
  constructor(
    private readonly r: () => number,
    private readonly d: Domain,
  ) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }
  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  private chance(p: number): boolean {
    return this.r() < p;
  }

  /** An instant near real rows: a session start, shifted by up to ±3 hours (sometimes exactly on it). */
  private instant(): number {
    const base = this.pick(this.d.starts);
    return this.chance(0.2) ? base : base + this.int(-3 * 3600, 3 * 3600) * 1000;
  }

  /** A timestamp value in one of the idioms an analyst writes, with its oracle twin. */
  private timeValue(): Part {
    const t = this.instant();
    const { date, time, ms } = isoParts(t);
    const oracleExact = `'${date} ${time}.${ms}'`;
    switch (this.int(0, 8)) {
      case 0:
        return { q: `'${date}T${time}Z'`, o: `'${date} ${time}.000'` };
      case 1:
        return { q: `'${date}T${time}.${ms}Z'`, o: oracleExact };
      case 2:
        return { q: `'${date} ${time}'`, o: `'${date} ${time}.000'` };
      case 3:
        return { q: `'${date}'`, o: `'${date}'` };
      case 4: {
        const days = this.int(1, 25);
        return { q: `date('now', '-${days} days')`, o: `date('now', '-${days} days')` };
      }
      case 5: {
        const hours = this.int(1, 600);
        return { q: `datetime('now', '-${hours} hours')`, o: `strftime('%Y-%m-%d %H:%M:%S.000', 'now', '-${hours} hours')` };
      }
      case 6: {
        const hours = this.int(1, 600);
        return {
          q: `datetime('now','-${hours} hours', 'start of day')`,
          o: `strftime('%Y-%m-%d %H:%M:%S.000', 'now', '-${hours} hours', 'start of day')`,
        };
      }
      case 7: {
        // a date-time built by an expression (folded by SQLite before pushdown)
        return { q: `'${date}' || 'T${time}.${ms}Z'`, o: `'${date}' || ' ${time}.${ms}'` };
      }
      default: {
        const offset = this.pick(['+02:00', '-05:00', '+0530']);
        const sign = offset[0] === '+' ? 1 : -1;
        const [hh, mm] = offset.includes(':') ? offset.slice(1).split(':') : [offset.slice(1, 3), offset.slice(3)];
        const local = t + sign * (Number(hh) * 60 + Number(mm)) * 60_000;
        const lp = isoParts(local);
        return { q: `'${lp.date}T${lp.time}${offset}'`, o: `'${date} ${time}.000'` };
      }
    }
  }

  /** A condition that names a time column of the sessions alias (so the API's whole window is in play). */
  private sessionTime(alias: string): Text {
    const c = `${alias}sessionStartTime`;
    const t = new Text();
    switch (this.int(0, 11)) {
      case 0:
      case 1:
      case 2:
        return t.add(`${c} ${this.pick(['>=', '>'])} `, this.timeValue());
      case 3:
        return t.add(`${c} BETWEEN `, this.timeValue(), ' AND ', this.timeValue());
      case 4:
        return t.add(`${c} < `, this.timeValue());
      case 5:
        return t.add(`date(${c}) = '${isoParts(this.instant()).date}'`);
      case 6:
        return t.add(`(${c} >= `, this.timeValue(), ` OR ${alias}status = 'ACTIVE')`);
      case 7:
        return t.add(`NOT (${c} < `, this.timeValue(), ')');
      case 8:
        return t.add(`${alias}sessionEndTime >= `, this.timeValue());
      case 9:
        return t.add(`julianday(${c}) > julianday('now') - ${this.int(1, 20)}`);
      case 10:
        return t.add(`${c} >= `, this.timeValue(), ` AND ${c} <= `, this.timeValue());
      default:
        return t.add(`strftime('%H', ${c}) = '${pad(this.int(0, 23))}'`);
    }
  }

  /** A condition on other columns of the sessions alias. */
  private sessionOther(alias: string): Text {
    const t = new Text();
    const status = () => `'${this.pick(['ACTIVE', 'COMPLETED', 'FAILED'])}'`;
    switch (this.int(0, 12)) {
      case 0:
        return t.add(`${alias}status = ${status()}`);
      case 1:
        return t.add(`${alias}status IN (${status()}, ${status()})`);
      case 2:
        return t.add(`${alias}status != ${status()}`);
      case 3:
        return t.add(`${alias}userName = '${this.pick(this.d.userNames)}'`);
      case 4:
        return t.add(`${alias}userName IN ('${this.pick(this.d.userNames)}', '${this.pick(this.d.userNames)}')`);
      case 5:
        return t.add(`${alias}userName LIKE '${this.pick('abcdehjklmnoprstwxz'.split(''))}%'`);
      case 6:
        return t.add(`${alias}userName GLOB '[a-m]*'`);
      case 7:
        return t.add(`${alias}bytesIn > ${this.int(0, 5_000_000)}`);
      case 8:
        return t.add(`(${alias}status = ${status()} OR ${alias}bytesOut < ${this.int(0, 5_000_000)})`);
      case 9:
        return t.add(`${alias}region = '${this.pick(this.d.regions)}'`);
      case 10:
        return t.add(`${alias}status = ${status().toLowerCase()} COLLATE NOCASE`);
      case 11:
        return t.add(`lower(${alias}status) = ${status().toLowerCase()}`);
      default:
        return t.add(`CASE WHEN ${alias}bytesIn > ${this.int(0, 1_000_000)} THEN 1 ELSE 0 END = 1`);
    }
  }

  /** WHERE body for a sessions alias: always a time condition, plus 0–3 others, in random order. */
  private sessionWhere(alias = ''): Text {
    const conds = [this.sessionTime(alias)];
    for (let i = this.int(0, 3); i > 0; i--) conds.push(this.sessionOther(alias));
    conds.sort(() => this.r() - 0.5);
    const t = new Text();
    conds.forEach((c, i) => t.add(i ? ' AND ' : '', ...c.parts));
    return t;
  }

  private limitForms(): string {
    return this.pick(['LIMIT 5', 'LIMIT 5 OFFSET 3', 'LIMIT -1 OFFSET 5', 'LIMIT 4, -1', 'LIMIT 3, 4', 'LIMIT 2 + 3', 'LIMIT 0']);
  }

  next(): Generated {
    const shapes = [
      'plain',
      'plain',
      'aggregate',
      'window',
      'filter',
      'nulls',
      'from-subquery',
      'cte',
      'compound',
      'join-regions',
      'left-join-users',
      'in-subquery',
      'exists',
      'scalar',
      'limit-ordered',
      'limit-unordered',
      'json',
      'recursive',
      'values',
      'cast',
      'azure',
      'azure',
      'azure-join',
    ] as const;
    const shape = this.pick(shapes);
    const t = new Text();
    const { S, R, U, A } = TABLES;
    let unordered = true;
    let countOnly = false;
    const cols = () =>
      this.pick([
        'id, userName, status, sessionStartTime',
        'id, bytesIn, bytesOut, region',
        'id, sessionEndTime, status',
        'id, datetime(sessionStartTime) AS started, date(sessionStartTime) AS day',
      ]);
    switch (shape) {
      case 'plain':
        t.add(`SELECT ${cols()} FROM `, S, ' WHERE ', ...this.sessionWhere().parts);
        break;
      case 'aggregate':
        t.add(
          'SELECT userName, count(*) AS n, sum(bytesIn) AS b, max(sessionStartTime) AS last FROM ',
          S,
          ' WHERE ',
          ...this.sessionWhere().parts,
          ' GROUP BY userName',
        );
        if (this.chance(0.4)) t.add(' HAVING count(*) > 1');
        break;
      case 'window':
        t.add(
          this.pick([
            'SELECT id, row_number() OVER (ORDER BY id) AS rn FROM ',
            'SELECT id, sum(bytesIn) OVER (PARTITION BY userName ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM ',
            'SELECT userName, sum(sum(bytesIn)) OVER () AS total FROM ',
            'SELECT id, rank() OVER w AS rk FROM ',
          ]),
        );
        t.add(S, ' WHERE ', ...this.sessionWhere().parts);
        {
          const head = t.render('q');
          if (head.includes('sum(sum(')) t.add(' GROUP BY userName');
          if (head.includes('OVER w')) t.add(' WINDOW w AS (PARTITION BY status ORDER BY bytesIn, id)');
        }
        break;
      case 'filter':
        t.add(
          "SELECT count(*) FILTER (WHERE status = 'ACTIVE') AS active, count(*) AS total, count(*) FILTER (WHERE ",
          ...this.sessionTime('').parts,
          ') AS timed FROM ',
          S,
          ' WHERE ',
          ...this.sessionWhere().parts,
        );
        break;
      case 'nulls':
        t.add(
          'SELECT id, sessionEndTime FROM ',
          S,
          ' WHERE ',
          ...this.sessionWhere().parts,
          ` ORDER BY sessionEndTime ${this.pick(['NULLS LAST', 'NULLS FIRST', 'DESC NULLS LAST'])}, id`,
        );
        unordered = false;
        break;
      case 'from-subquery':
        t.add('SELECT count(*) AS n FROM (SELECT row_number() OVER (ORDER BY id) AS rn, id FROM ', S, ' WHERE ', ...this.sessionWhere().parts, ')');
        if (this.chance(0.5)) t.add(' WHERE rn > 3');
        break;
      case 'cte':
        t.add(
          'WITH x AS (SELECT id, userName, bytesIn, sessionStartTime FROM ',
          S,
          ' WHERE ',
          ...this.sessionWhere().parts,
          ') SELECT userName, count(*) AS n FROM x WHERE bytesIn >= 0 GROUP BY userName',
        );
        break;
      case 'compound':
        t.add(
          'SELECT userName FROM ',
          S,
          ' WHERE ',
          ...this.sessionWhere().parts,
          ` ${this.pick(['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT'])} SELECT userName FROM `,
          S,
          ' WHERE ',
          ...this.sessionWhere().parts,
        );
        break;
      case 'join-regions':
        t.add(
          'SELECT r.country, count(*) AS sessions, sum(s.bytesIn + s.bytesOut) AS bytes FROM ',
          S,
          ' s JOIN ',
          R,
          ' r ON r.id = s.region WHERE ',
          ...this.sessionWhere('s.').parts,
          ' GROUP BY r.country',
        );
        break;
      case 'left-join-users':
        t.add(
          'SELECT u.username, count(s.id) AS n FROM ',
          U,
          ' u LEFT JOIN ',
          S,
          ' s ON s.userId = u.id AND ',
          ...this.sessionTime('s.').parts,
          ' GROUP BY u.username',
        );
        break;
      case 'in-subquery':
        t.add(
          'SELECT id, userName FROM ',
          S,
          ' WHERE ',
          ...this.sessionWhere().parts,
          ' AND userName IN (SELECT s2.userName FROM ',
          S,
          ' s2 WHERE ',
          ...this.sessionWhere('s2.').parts,
          ')',
        );
        break;
      case 'exists':
        t.add(
          'SELECT s.id FROM ',
          S,
          ' s WHERE ',
          ...this.sessionWhere('s.').parts,
          ' AND EXISTS (SELECT 1 FROM ',
          S,
          " s2 WHERE s2.userName = s.userName AND s2.status = 'FAILED' AND ",
          ...this.sessionTime('s2.').parts,
          ')',
        );
        break;
      case 'scalar':
        t.add(
          'SELECT userName, (SELECT count(*) FROM ',
          S,
          ' s2 WHERE s2.userName = s.userName AND ',
          ...this.sessionTime('s2.').parts,
          ') AS n FROM ',
          S,
          ' s WHERE ',
          ...this.sessionWhere('s.').parts,
        );
        break;
      case 'limit-ordered':
        t.add('SELECT id, userName FROM ', S, ' WHERE ', ...this.sessionWhere().parts, ` ORDER BY id ${this.limitForms()}`);
        unordered = false;
        break;
      case 'limit-unordered':
        t.add('SELECT id FROM ', S, ' WHERE ', ...this.sessionWhere().parts, ` ${this.limitForms()}`);
        countOnly = true;
        break;
      case 'json':
        t.add(
          "SELECT id, secondaryGroupNames ->> '$[0]' AS g, json_array_length(secondaryGroupNames) AS ng FROM ",
          S,
          ' WHERE ',
          ...this.sessionWhere().parts,
        );
        if (this.chance(0.5)) t.add(" AND secondaryGroupNames -> '$[0]' IS NOT NULL");
        break;
      case 'recursive':
        t.add(
          'WITH RECURSIVE h(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM h WHERE n < 23) SELECT h.n, count(s.id) AS c FROM h LEFT JOIN ',
          S,
          " s ON CAST(strftime('%H', s.sessionStartTime) AS INTEGER) = h.n AND ",
          ...this.sessionTime('s.').parts,
          ' GROUP BY h.n',
        );
        break;
      case 'values':
        t.add(
          "SELECT v.column1 AS wanted, count(s.id) AS n FROM (VALUES ('ACTIVE'), ('FAILED')) v JOIN ",
          S,
          ' s ON s.status = v.column1 WHERE ',
          ...this.sessionWhere('s.').parts,
          ' GROUP BY v.column1',
        );
        break;
      case 'cast':
        t.add(
          "SELECT id, CAST(bytesIn AS TEXT) AS b, CASE status WHEN 'ACTIVE' THEN 'on' ELSE 'off' END AS state FROM ",
          S,
          " WHERE CAST(bytesIn AS TEXT) LIKE '1%' AND ",
          ...this.sessionWhere().parts,
        );
        break;
      case 'azure':
        t.add('SELECT subscriptionId, bastionHostName, userName, startTime, protocol FROM ', A, ' WHERE ', ...this.azureWhere().parts);
        break;
      case 'azure-join':
        t.add(
          'SELECT a.userName, count(*) AS n FROM ',
          A,
          ' a JOIN ',
          A,
          ' b ON a.userName = b.userName AND a.sessionId <> b.sessionId WHERE ',
          ...this.azureWhere('a.').parts,
          ' GROUP BY a.userName',
        );
        break;
    }
    return { sessql: t.render('q'), oracle: t.render('o'), unordered, countOnly, shape };
  }

  private azureWhere(alias = ''): Text {
    const t = new Text();
    const conds: Text[] = [];
    const kinds: number[] = [];
    for (let i = this.int(1, 3); i > 0; i--) {
      const kind = this.int(0, 8);
      // a bound subscription with a resource group it lacks is the API's 404, an error by design
      const rg = (k: number) => k === 1 || k === 8;
      if ((kind === 0 && kinds.some(rg)) || (rg(kind) && kinds.includes(0))) continue;
      kinds.push(kind);
      const c = new Text();
      switch (kind) {
        case 0:
          c.add(`${alias}subscriptionId = '${this.pick(this.d.subscriptions)}'`);
          break;
        case 1:
          c.add(`${alias}resourceGroupName IN ('${this.pick(this.d.resourceGroups)}', '${this.pick(this.d.resourceGroups)}')`);
          break;
        case 2:
          c.add(`${alias}bastionHostName = '${this.pick(this.d.hosts)}'`);
          break;
        case 3:
          c.add(`${alias}protocol = '${this.pick(this.d.protocols)}'`);
          break;
        case 4:
          c.add(`${alias}startTime ${this.pick(['<', '>=', '>'])} `, this.timeValue());
          break;
        case 5:
          c.add(`${alias}sessionDurationInMins > ${this.int(0, 300)}`);
          break;
        case 6:
          c.add(`(${alias}bastionHostName = '${this.pick(this.d.hosts)}' OR ${alias}protocol = 'SSH')`);
          break;
        case 7: {
          const h = this.int(1, 12);
          c.add(`${alias}startTime < `, { q: `datetime('now', '-${h} hours')`, o: `strftime('%Y-%m-%d %H:%M:%S.000', 'now', '-${h} hours')` });
          break;
        }
        default:
          c.add(`${alias}resource_group_name = '${this.pick(this.d.resourceGroups)}'`);
      }
      conds.push(c);
    }
    conds.forEach((c, i) => t.add(i ? ' AND ' : '', ...c.parts));
    return t;
  }
}
