// Template variables from the command line: --vars-file (JSON or YAML name: value pairs) first,
// then each --var name=value, later ones winning. Values are plain strings.
import { parseYaml } from '../yaml.js';
import { SessqlError } from '../errors.js';
import type { TemplateVars } from '../sql/template.js';
import type { GlobalOptions } from './options.js';
import { readTextFile } from './files.js';

export function templateVars(opts: Pick<GlobalOptions, 'var' | 'varsFile'>): TemplateVars {
  const vars: TemplateVars = opts.varsFile ? varsFromFile(opts.varsFile) : {};
  for (const pair of opts.var ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!m)
      throw new SessqlError('INVALID_OPTION', `--var takes name=value, not '${pair}'`, {
        hint: 'for example: --var subscriptionId=00000000-0000-0000-0000-000000000000',
      });
    vars[m[1]] = m[2];
  }
  return vars;
}

function varsFromFile(path: string): TemplateVars {
  const text = readTextFile(path);
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new SessqlError(
      'INVALID_OPTION',
      `--vars-file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new SessqlError('INVALID_OPTION', `--vars-file ${path} must hold name: value pairs`);
  }
  const vars: TemplateVars = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === null || typeof v === 'object')
      throw new SessqlError('INVALID_OPTION', `--vars-file ${path}: ${k} must be a plain value, not ${Array.isArray(v) ? 'a list' : 'an object'}`);
    vars[k] = String(v);
  }
  return vars;
}
