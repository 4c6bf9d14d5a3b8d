// Base URL rules: normalise to scheme://host[:port] (path and query dropped, as the official Go
// client does) and require https, except plain http for loopback hosts (local simulators).
import { SessqlError } from '../errors.js';

export function normaliseBaseUrl(raw: string | undefined, envName: string): string {
  if (raw === undefined || raw.trim() === '') {
    throw new SessqlError('MISSING_CREDENTIALS', `no API base URL is configured (${envName} is not set)`, {
      hint: `set ${envName} to the provider's API base URL, for example https://<host>`,
    });
  }
  const url = parse(raw.trim(), envName);
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url.origin;
  throw new SessqlError('INVALID_CONFIG', `the API base URL ${url.origin} (${envName}) must use https`, {
    hint: `use an https:// URL in ${envName}; plain http is only allowed for loopback hosts (localhost, 127.0.0.1, ::1)`,
  });
}

function parse(raw: string, envName: string): URL {
  try {
    const url = new URL(raw);
    if (url.host === '') throw new Error('no host');
    return url;
  } catch {
    throw new SessqlError('INVALID_CONFIG', `the API base URL in ${envName} is not a valid URL`, {
      hint: `set ${envName} to an absolute URL such as https://<host>`,
    });
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}
