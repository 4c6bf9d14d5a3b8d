// Terminal I/O helpers: error, warning and notice lines on stderr (only errors with --quiet),
// colour only on a terminal without NO_COLOR, and a quiet exit when the reader of stdout goes
// away (`sessql exec … | head -1`), as psql does.
import { SessqlError } from '../errors.js';

let quiet = false;

/** --quiet: warnings, notices, progress and timing are not printed; errors still are. */
export function setQuiet(on: boolean): void {
  quiet = on;
}

export function isQuiet(): boolean {
  return quiet;
}

export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

export function printError(err: SessqlError, debug: boolean): void {
  const color = useColor(process.stderr);
  const red = (s: string) => (color ? `\u001b[31m${s}\u001b[39m` : s);
  process.stderr.write(`${red(`error[${err.code}]`)}: ${err.message}\n`);
  if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
  if (debug) {
    process.stderr.write(`${err.stack ?? ''}\n`);
    let cause = err.cause as Error | undefined;
    while (cause) {
      process.stderr.write(`caused by: ${cause.stack ?? String(cause)}\n`);
      cause = cause.cause as Error | undefined;
    }
  }
}

export function printWarning(message: string): void {
  if (quiet) return;
  const color = useColor(process.stderr);
  process.stderr.write(`${color ? '\u001b[33mwarning\u001b[39m' : 'warning'}: ${message}\n`);
}

/** Information for a person (not a problem): `notice: …` on stderr, silent with --quiet. */
export function printNotice(message: string): void {
  if (!quiet) process.stderr.write(`notice: ${message}\n`);
}

/** Informational stderr text (a "wrote FILE" line, timing), silent with --quiet. */
export function printInfo(text: string): void {
  if (!quiet) process.stderr.write(text);
}

/**
 * A closed pipe on stdout or stderr (the reader exited, as `head -1` does) ends the process at
 * once with exit code 0 instead of an unhandled EPIPE error and a stack trace.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      throw e;
    });
  }
}
