// Reading the SQL and settings files the user names, and stdin. Invariant: an unreadable file is an
// INVALID_OPTION error naming the path (exit 2), never a raw Node error.
import { readFileSync } from 'node:fs';
import { SessqlError } from '../errors.js';

export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw new SessqlError('INVALID_OPTION', `cannot read ${path}: ${why}`);
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface SqlSource {
  text: string;
  /** `<argument>`, `<stdin>` or the file's path (shown with errors as `--> path:line`). */
  name: string;
}

/**
 * The SQL sources of a command: each statement argument (one source each, as repeated `psql -c`),
 * then each file (`-` is stdin), else stdin.
 */
export async function gatherSources(statements: string[], files: string[] | undefined): Promise<SqlSource[]> {
  const sources: SqlSource[] = statements.filter((s) => s.trim()).map((text) => ({ text, name: '<argument>' }));
  for (const f of files ?? []) sources.push(f === '-' ? { text: await readStdin(), name: '<stdin>' } : { text: readTextFile(f), name: f });
  if (sources.length === 0) {
    if (process.stdin.isTTY) {
      throw new SessqlError('INVALID_OPTION', 'no SQL given', {
        hint: 'pass SQL as an argument, with -c, with -f file.sql, or on stdin (or run `sessql shell`)',
      });
    }
    sources.push({ text: await readStdin(), name: '<stdin>' });
  }
  return sources;
}
