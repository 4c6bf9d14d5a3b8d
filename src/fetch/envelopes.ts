// Error envelopes a manifest can name (`errors.envelope`): where an API puts its error code and
// message. One handler per envelope; `auto` recognises the common shapes. The code is what
// `errors.retryableCodes` / `credentialCodes` / `hints` in the manifest are matched against.
import type { ErrorEnvelope, ErrorsSpec } from '../manifest/schema.js';
import { extractApiError, type ApiErrorInfo, type ErrorPolicy } from './errors.js';
import type { HttpResponse } from './types.js';

function json(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** AWS JSON protocols: `x-amzn-ErrorType` header first, else `code`, else `__type`; keep the name after `#`, before `:`. */
function awsJson(res: HttpResponse): ApiErrorInfo {
  const o = json(res.body) ?? {};
  const raw = str(res.headers['x-amzn-errortype']) ?? str(o.code) ?? str(o.__type);
  const code = raw?.split(':')[0].split(',')[0].split('#').pop()?.trim() || undefined;
  return { code, message: str(o.message) ?? str(o.Message) };
}

const handlers: Record<ErrorEnvelope, (res: HttpResponse) => ApiErrorInfo> = {
  auto: (res) => extractApiError(res.body),
  // ARM CloudError {error:{code,message}}, the {errorMessage, errorDetails} ErrorResponse and OAuth's {error, error_description}
  // are the shapes `auto` was written for.
  arm: (res) => extractApiError(res.body),
  'error-details': (res) => extractApiError(res.body),
  oauth: (res) => extractApiError(res.body),
  'kind-message': (res) => {
    const o = json(res.body);
    if (!o) return extractApiError(res.body);
    return { code: str(o.kind), message: str(o.message) };
  },
  'aws-json': awsJson,
};

/** The error policy the manifest declares, as used by the sender and the retry policy. */
export function errorPolicy(spec: ErrorsSpec): ErrorPolicy {
  const parse = handlers[spec.envelope];
  const retryable = new Set(spec.retryableCodes);
  return {
    parse,
    credentialCodes: spec.credentialCodes,
    hints: spec.hints,
    retryableCode: (res) => {
      if (retryable.size === 0 || res.status < 400) return undefined;
      const code = parse(res).code;
      return code && retryable.has(code) ? code : undefined;
    },
  };
}
