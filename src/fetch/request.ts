// Builds the first request of a call from the manifest's request template and the planner's
// parameter values: `{name}` placeholders in the path and in static query values (parameters,
// else provider config, e.g. `api-version: '{networkApiVersion}'`), query parameters, JSON body.
import { SessqlError } from '../errors.js';
import type { ParameterSpec, ProviderSpec } from '../manifest/schema.js';
import { envName, isSet, type ProviderConfig } from './config.js';
import type { ApiRequest } from './sender.js';
import type { FetchCall } from './types.js';

type Value = string | number | boolean;

export function buildRequest(call: FetchCall, baseUrl: string, spec: ProviderSpec, config: ProviderConfig): ApiRequest {
  const url = new URL(baseUrl + expandPath(call, spec, config));
  for (const [name, value] of Object.entries(call.request.query)) {
    url.searchParams.set(name, typeof value === 'string' ? expand(value, call, spec, config, (v) => v) : wire(value));
  }
  for (const [name, p] of paramsIn(call, 'query')) url.searchParams.set(p.wireName ?? name, wire(call.params[name]));
  const headers: Record<string, string> = { ...call.request.headers };
  for (const [name, p] of paramsIn(call, 'header')) headers[(p.wireName ?? name).toLowerCase()] = wire(call.params[name]);
  const vars = Object.fromEntries(Object.entries(call.params).map(([k, v]) => [k, wire(v)]));
  return { method: call.request.method, url: url.href, body: buildBody(call), headers, vars };
}

function wire(v: Value): string {
  return typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
}

/** Parameters placed `where` that have a value in this call. */
function paramsIn(call: FetchCall, where: ParameterSpec['in']): Array<[string, ParameterSpec]> {
  return Object.entries(call.parameters).filter(([name, p]) => p.in === where && call.params[name] !== undefined);
}

function expandPath(call: FetchCall, spec: ProviderSpec, config: ProviderConfig): string {
  return expand(call.request.path, call, spec, config, encodeURIComponent);
}

function expand(template: string, call: FetchCall, spec: ProviderSpec, config: ProviderConfig, encode: (v: string) => string): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, key: string) => encode(placeholderValue(call, key, spec, config)));
}

function placeholderValue(call: FetchCall, key: string, spec: ProviderSpec, config: ProviderConfig): string {
  const entries = Object.entries(call.parameters).filter(([, p]) => p.in === 'path');
  const param = entries.find(([, p]) => p.wireName === key) ?? entries.find(([name]) => name === key);
  if (param) {
    const value = call.params[param[0]];
    if (value === undefined) {
      throw new SessqlError('MISSING_PARAMETER', `${call.resourceId}: no value for the path parameter ${param[0]}`, {
        hint: `add ${param[0]} = '<value>' to the WHERE clause`,
      });
    }
    return wire(value);
  }
  const fromConfig = config[key];
  if (isSet(fromConfig)) return fromConfig;
  throw new SessqlError(
    'MISSING_TEMPLATE_VARIABLE',
    `${call.resourceId}: the request needs {${key}}, which is neither a parameter nor a configured value`,
    {
      hint: spec.config[key] ? `set ${envName(spec, key)}` : 'the provider manifest refers to an unknown path variable',
    },
  );
}

function buildBody(call: FetchCall): string | undefined {
  const fromParams = paramsIn(call, 'body').map(([name, p]) => [p.wireName ?? name, bodyValue(call.params[name], p)] as const);
  if (call.request.body === undefined && fromParams.length === 0) return undefined;
  return JSON.stringify({ ...call.request.body, ...Object.fromEntries(fromParams) });
}

function bodyValue(v: Value, p: ParameterSpec): unknown {
  if (p.type !== 'json' || typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
