// No authentication: no headers, nothing to check, nothing to refresh.
import type { Authenticator } from './types.js';

export function noAuth(): Authenticator {
  return { hint: 'the API refused the request without credentials', check: () => {}, headers: async () => ({}), refresh: () => false };
}
