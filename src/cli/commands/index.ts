// The registered commands, in the order `sessql --help` lists them. A new command is one module
// under commands/ and one line here.
import type { CommandModule } from '../options.js';
import { checkCommand } from './check.js';
import { execCommand } from './exec.js';
import { reportCommand } from './report.js';
import { shellCommand } from './shell.js';
import { syncCommand } from './sync.js';

export const COMMANDS: readonly CommandModule[] = [execCommand, shellCommand, checkCommand, reportCommand, syncCommand];
