// Test helper: a small strict XML parser (no regular expressions) proving that JUnit XML and HTML
// reports are well formed: one root, tags closed in order, quoted unique attributes, valid
// references only. With `html: true` it accepts <!DOCTYPE html> and void elements (<meta>, <br>).

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlError extends Error {}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === ':';
}
function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
}
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

export function parseXml(text: string, opts: { html?: boolean } = {}): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new XmlError(`${msg} at line ${line} (offset ${i})`);
  };
  const startsWith = (s: string) => text.startsWith(s, i);
  const skipSpace = () => {
    while (i < text.length && isSpace(text[i])) i++;
  };
  const name = (): string => {
    const start = i;
    if (!isNameStart(text[i] ?? '')) fail('expected a name');
    while (i < text.length && isNameChar(text[i])) i++;
    return text.slice(start, i);
  };
  /** Decodes text up to `stop` (exclusive); `<` is never allowed raw. */
  const chars = (stop: (c: string) => boolean): string => {
    let out = '';
    while (i < text.length && !stop(text[i])) {
      const c = text[i];
      if (c === '<') fail("raw '<'");
      if (c === '&') {
        const end = text.indexOf(';', i);
        if (end < 0 || end - i > 10) fail("'&' that starts no reference");
        const ref = text.slice(i + 1, end);
        if (ref.startsWith('#x')) out += String.fromCodePoint(parseInt(ref.slice(2), 16));
        else if (ref.startsWith('#')) out += String.fromCodePoint(Number(ref.slice(1)));
        else if (ref in ENTITIES) out += ENTITIES[ref];
        else fail(`unknown entity &${ref};`);
        i = end + 1;
        continue;
      }
      out += c;
      i++;
    }
    return out;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (startsWith('<?')) {
        const end = text.indexOf('?>', i);
        if (end < 0) fail('unterminated <?');
        i = end + 2;
      } else if (startsWith('<!--')) {
        const end = text.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (opts.html && (startsWith('<!DOCTYPE') || startsWith('<!doctype'))) {
        i = text.indexOf('>', i) + 1;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (text[i] !== '<') fail("expected '<'");
    i++;
    const tag = name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const hadSpace = isSpace(text[i] ?? '');
      skipSpace();
      if (startsWith('/>')) {
        i += 2;
        return { name: tag, attrs, children: [] };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      if (!hadSpace) fail('attributes must be separated by white space');
      const an = name();
      skipSpace();
      if (text[i] !== '=') fail(`attribute ${an} has no value`);
      i++;
      skipSpace();
      const q = text[i];
      if (q !== '"' && q !== "'") fail(`attribute ${an} is not quoted`);
      i++;
      const value = chars((c) => c === q);
      if (text[i] !== q) fail(`unterminated attribute ${an}`);
      i++;
      if (an in attrs) fail(`duplicate attribute ${an}`);
      attrs[an] = value;
    }
    const el: XmlElement = { name: tag, attrs, children: [] };
    if (opts.html && VOID.has(tag.toLowerCase())) return el;
    for (;;) {
      if (i >= text.length) fail(`<${tag}> is never closed`);
      if (startsWith('</')) {
        i += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`);
        skipSpace();
        if (text[i] !== '>') fail("expected '>'");
        i++;
        return el;
      }
      if (startsWith('<!--')) {
        const end = text.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (startsWith('<![CDATA[')) {
        const end = text.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        el.children.push(text.slice(i + 9, end));
        i = end + 3;
      } else if (text[i] === '<') {
        el.children.push(element());
      } else {
        el.children.push(chars((c) => c === '<'));
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i < text.length) fail('content after the root element');
  return root;
}

/** Every element named `name` in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement) => {
    if (el.name === name) out.push(el);
    for (const c of el.children) if (typeof c !== 'string') walk(c);
  };
  walk(root);
  return out;
}

/** The concatenated text inside an element. */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
