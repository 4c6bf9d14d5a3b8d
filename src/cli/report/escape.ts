// Escaping for the documents sessql writes (JUnit XML, HTML, SVG, Markdown). Invariant: any text
// from a query result or a SQL file passes through one of these before it reaches markup, and
// characters XML 1.0 forbids are replaced, so the output always parses.

/** Characters not allowed in XML 1.0 (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripInvalidXml(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD');
}

/** Text content of XML/HTML elements. */
export function escapeText(s: string): string {
  return stripInvalidXml(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values (always written in double quotes); whitespace controls survive as references. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/**
 * Inline Markdown text (table cells, headings): characters with inline meaning are
 * backslash-escaped (CommonMark allows it for any ASCII punctuation) and line breaks become
 * `<br>`, so a value can neither end a table cell nor inject markup or links.
 */
export function escapeMarkdown(s: string): string {
  return stripInvalidXml(s)
    .replace(/[\\`*_[\]<>|~&#!]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, '<br>');
}

/** A code fence longer than any backtick run in `s`, so the block cannot be closed early. */
export function fenceFor(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  return '`'.repeat(Math.max(3, longest + 1));
}
