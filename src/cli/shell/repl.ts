// The interactive loop on node:readline: lines buffer until a `;` outside strings and comments,
// then run. Invariants: one statement runs at a time (lines typed or pasted meanwhile wait their
// turn), and Ctrl-C aborts only the running statement — HTTP requests included — never the shell.
import { createInterface, type Interface } from 'node:readline';
import type { Engine } from '../../engine/engine.js';
import { toSessqlError } from '../../errors.js';
import { ScriptReader, type ScriptItem } from '../runner/script.js';
import { complete, type CompletionSource } from './complete.js';
import { History, oneLine } from './history.js';
import { installBracketedPaste } from './paste.js';
import { abandonLine } from './readline-internals.js';
import { installReverseSearch } from './search.js';
import type { Session } from '../runner/session.js';

export const PROMPT = 'sessql> ';
export const CONTINUATION = '   ...> ';

export interface ReplOptions {
  input: NodeJS.ReadableStream;
  /** Where the prompt and the echo go (results and errors go through the session's IO). */
  output: NodeJS.WritableStream;
  session: Session;
  history?: History;
  terminal?: boolean;
}

/** Column and parameter names (aliases too) the engine knows for a table. */
export function engineCompletions(engine: Engine): CompletionSource {
  return {
    resourceIds: () => engine.catalog.resourceIds(),
    columnsOf: (id) => {
      let res;
      try {
        res = engine.resolve(id);
      } catch {
        res = engine.catalog.find(id);
      }
      if (!res) return [];
      const params = Object.entries(res.spec.parameters).flatMap(([name, p]) => [name, ...p.aliases]);
      return [...new Set([...res.spec.columns.map((c) => c.name), ...params])];
    },
  };
}

export class Repl {
  private readonly rl: Interface;
  private readonly reader = new ScriptReader('<shell>');
  private readonly history: History;
  private readonly queue: string[] = [];
  private readonly completions: CompletionSource;
  private readonly pasteOff: () => void;
  /** Lines of the statement being typed (for its history entry). */
  private typed: string[] = [];
  private running?: AbortController;
  private busy = false;
  private closed = false;
  private ended = false;
  /** The previous key was Ctrl-C at an empty prompt: another one exits. */
  private interrupted = false;
  private finished!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(private readonly o: ReplOptions) {
    this.history = o.history ?? new History(undefined);
    this.completions = engineCompletions(o.session.engine);
    this.rl = createInterface({
      input: o.input,
      output: o.output,
      terminal: o.terminal ?? true,
      prompt: PROMPT,
      // history is managed here: one entry per statement, not per line
      historySize: 0,
      history: this.history.entries,
      completer: (before: string) => this.complete(before),
    });
    installReverseSearch(this.rl, () => this.history.entries);
    this.pasteOff = installBracketedPaste(this.rl, o.output);
    this.rl.on('line', (line) => this.onLine(line));
    this.rl.on('SIGINT', () => this.interrupt());
    this.rl.on('close', () => this.onClose());
    o.input.on('keypress', (_s: string, key?: { ctrl?: boolean; name?: string }) => {
      if (!(key?.ctrl && key.name === 'c')) this.interrupted = false;
    });
  }

  /** Shows the prompt; resolves when the shell ends (Ctrl-D, .quit, twice Ctrl-C, end of input). */
  run(): Promise<void> {
    this.prompt();
    return this.done;
  }

  private get session(): Session {
    return this.o.session;
  }

  private onLine(line: string): void {
    this.queue.push(line);
    this.pump();
  }

  /** Takes queued lines until one completes a statement, which then runs. */
  private pump(): void {
    while (!this.busy && !this.closed && this.queue.length) this.accept(this.queue.shift()!);
    if (!this.busy) this.prompt();
  }

  private accept(line: string): void {
    const items = this.reader.push(line);
    this.remember(line);
    if (!items.length) return;
    this.busy = true;
    void this.execute(items).finally(() => this.afterRun());
  }

  private afterRun(): void {
    this.busy = false;
    if (this.session.quit && !this.closed) this.rl.close();
    if (this.closed) this.finish();
    else this.pump();
  }

  /** One history entry per statement (a multi-line one on one line) or meta-command. */
  private remember(line: string): void {
    this.typed.push(line);
    if (this.reader.pendingStatement) return;
    const entry = this.typed.length === 1 ? line : oneLine(this.typed.join('\n'));
    this.typed = [];
    this.history.add(entry);
  }

  private async execute(items: ScriptItem[]): Promise<void> {
    const controller = new AbortController();
    this.running = controller;
    try {
      for (const item of items) {
        if (controller.signal.aborted || this.session.quit) break;
        await this.runItem(item, controller.signal);
      }
    } finally {
      this.running = undefined;
    }
  }

  private async runItem(item: ScriptItem, signal: AbortSignal): Promise<void> {
    try {
      await this.session.run(item, signal);
    } catch (e) {
      const err = toSessqlError(e);
      if (signal.aborted && err.code === 'CANCELLED') this.session.io.err('^C cancelled\n');
      else this.session.reportError(err, item.where);
    }
  }

  /** Ctrl-C: cancels the running statement, else clears the line; twice at an empty prompt exits. */
  private interrupt(): void {
    if (this.running) {
      this.running.abort();
      this.queue.length = 0;
      return;
    }
    const empty = this.rl.line === '' && !this.reader.pendingStatement;
    abandonLine(this.rl, this.o.output, '^C');
    this.reader.reset();
    this.typed = [];
    if (empty && this.interrupted) return void this.rl.close();
    if (empty) this.o.output.write('(to exit, press Ctrl-C again or Ctrl-D, or type .quit)\n');
    this.interrupted = empty;
    this.prompt();
  }

  private onClose(): void {
    this.closed = true;
    this.queue.length = 0;
    this.running?.abort();
    if (!this.busy) this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.pasteOff();
    if (!this.session.quit) this.o.output.write('\n');
    this.finished();
  }

  private prompt(): void {
    if (this.closed) return;
    this.rl.setPrompt(this.reader.pendingStatement ? CONTINUATION : PROMPT);
    this.rl.prompt();
  }

  private complete(before: string): [string[], string] {
    try {
      return complete(before, this.reader.pendingText, this.rl.line, this.completions);
    } catch {
      return [[], before];
    }
  }
}
