// URLs the API hands back (next links, LRO Location / Azure-AsyncOperation) are followed with our
// credentials, so they must stay on the base URL's origin; relative links resolve against it.
import type { RequestContext } from './errors.js';
import { malformed } from './errors.js';

export function sameOriginUrl(link: string, baseUrl: string, ctx: RequestContext, what: string): string {
  let url: URL;
  try {
    url = new URL(link, baseUrl);
  } catch {
    throw malformed(ctx, `${what} is not a valid URL`);
  }
  if (url.origin !== new URL(baseUrl).origin) {
    throw malformed(ctx, `${what} points to another origin (${url.origin}), not ${new URL(baseUrl).origin}`);
  }
  return url.href;
}
