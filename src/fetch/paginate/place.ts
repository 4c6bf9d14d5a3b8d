// Puts a page token where the manifest says: a query parameter, a request header, or a field of
// the JSON body (the rest of the request, filters included, is repeated as it was).
import type { ApiRequest } from '../sender.js';
import { withQuery } from './types.js';

export type TokenPlace = 'query' | 'header' | 'body';

export function placeToken(req: ApiRequest, where: TokenPlace, name: string, value: string): ApiRequest {
  if (where === 'query') return withQuery(req, { [name]: value });
  if (where === 'header') return { ...req, headers: { ...req.headers, [name.toLowerCase()]: value } };
  const body = req.body === undefined ? {} : (JSON.parse(req.body) as Record<string, unknown>);
  return { ...req, body: JSON.stringify({ ...body, [name]: value }) };
}
