// Terminal I/O helpers: error and warning lines on stderr, colour only on a terminal without
// NO_COLOR, and reading all of stdin.
import { SessqlError } from '../errors.js';

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
  const color = useColor(process.stderr);
  process.stderr.write(`${color ? '\u001b[33mwarning\u001b[39m' : 'warning'}: ${message}\n`);
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
