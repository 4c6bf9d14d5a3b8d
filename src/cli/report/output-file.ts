// Writing a generated document (JUnit XML, HTML, Markdown): into a temporary file next to the
// target, then renamed over it. Invariant: the target is either the old file or the complete new
// one — a CI job never picks up half a report.
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SessqlError } from '../../errors.js';

export function writeFileAtomic(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content, 'utf8');
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw new SessqlError('INVALID_OPTION', `cannot write ${path}: ${why}`);
  }
}

/** Fails before any API call when a file could not be written anyway (its folder is missing). */
export function checkOutputFolder(path: string, what = path): void {
  const dir = dirname(path);
  let ok: boolean;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new SessqlError('INVALID_OPTION', `cannot write ${what}: the folder ${dir} does not exist`);
}

/** A one-line status on stderr, shown and cleared only on a terminal (never in CI logs). */
export class StatusLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  show(text: string): void {
    if (!this.enabled) return;
    const width = Math.max(10, (this.stream.columns ?? 80) - 1);
    const chars = [...text];
    const line = chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : text;
    this.stream.write(`\r\u001b[2K${line}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\u001b[2K');
    this.shown = false;
  }
}
