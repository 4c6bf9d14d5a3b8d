// Page/size list endpoints, by-id lookups and the bare regions array (api-facts A.4).
// Invariant: `page` is 0-based, `size` 1..1000, and the envelope is exactly
// {content,totalElements,totalPages,numberOfElements,page,size} (field `page`, not Spring's `number`).
import { errorResponse } from './errors.js';
import { intParam } from './params.js';
import { json, type Reply } from './reply.js';
import type { SimData } from './types.js';

/** Page size when the client sends none. Not documented [I]; small so paging shows up early. */
export const DEFAULT_LIST_PAGE_SIZE = 10;
export const MAX_LIST_PAGE_SIZE = 1000;

export interface PageEnvelope<T> {
  content: T[];
  totalElements: number;
  totalPages: number;
  numberOfElements: number;
  page: number;
  size: number;
}

export function pageOf<T>(items: readonly T[], query: Record<string, string>): Reply {
  const page = intParam(query, 'page', 0, 2_147_483_647, 0);
  if (!page.ok) return json(400, page.error);
  const size = intParam(query, 'size', 1, MAX_LIST_PAGE_SIZE, DEFAULT_LIST_PAGE_SIZE);
  if (!size.ok) return json(400, size.error);
  const from = page.value * size.value;
  const content = items.slice(from, from + size.value);
  const envelope: PageEnvelope<T> = {
    content,
    totalElements: items.length,
    totalPages: Math.ceil(items.length / size.value),
    numberOfElements: content.length,
    page: page.value,
    size: size.value,
  };
  return json(200, envelope);
}

/** Optional equality filter on a query parameter (unknown value → empty page, not an error). */
function filtered<T>(items: readonly T[], query: Record<string, string>, param: string, pick: (t: T) => string): readonly T[] {
  const v = query[param];
  return v === undefined || v === '' ? items : items.filter((t) => pick(t) === v);
}

function byId<T extends { id: string }>(items: readonly T[], id: string, what: string): Reply {
  const found = items.find((t) => t.id === id);
  return found ? json(200, found) : json(404, errorResponse(404, `${what} with id '${id}' not found`));
}

export type Handler = (query: Record<string, string>, params: string[]) => Reply;
export interface Route {
  pattern: RegExp;
  handler: Handler;
}

/** GET routes for the entity lists; order matters (`/networks/connectors` before `/networks/{id}`). */
export function listRoutes(d: SimData): Route[] {
  const regions: Handler = () => json(200, d.regions);
  return [
    { pattern: /^\/api\/(?:v1|beta)\/regions$/, handler: regions },
    { pattern: /^\/api\/v1\/users$/, handler: (q) => pageOf(d.users, q) },
    { pattern: /^\/api\/v1\/users\/([^/]+)$/, handler: (_q, [id]) => byId(d.users, id, 'User') },
    { pattern: /^\/api\/v1\/user-groups$/, handler: (q) => pageOf(d.userGroups, q) },
    { pattern: /^\/api\/v1\/user-groups\/([^/]+)$/, handler: (_q, [id]) => byId(d.userGroups, id, 'User group') },
    {
      pattern: /^\/api\/v1\/devices$/,
      handler: (q) =>
        pageOf(
          filtered(d.devices, q, 'userId', (x) => x.userId),
          q,
        ),
    },
    { pattern: /^\/api\/v1\/devices\/([^/]+)$/, handler: (_q, [id]) => byId(d.devices, id, 'Device') },
    {
      pattern: /^\/api\/v1\/networks\/connectors$/,
      handler: (q) =>
        pageOf(
          filtered(d.networkConnectors, q, 'networkId', (x) => x.networkItemId),
          q,
        ),
    },
    { pattern: /^\/api\/v1\/networks$/, handler: (q) => pageOf(d.networks, q) },
    { pattern: /^\/api\/v1\/networks\/([^/]+)$/, handler: (_q, [id]) => byId(d.networks, id, 'Network') },
    {
      pattern: /^\/api\/v1\/hosts\/connectors$/,
      handler: (q) =>
        pageOf(
          filtered(d.hostConnectors, q, 'hostId', (x) => x.networkItemId),
          q,
        ),
    },
    { pattern: /^\/api\/v1\/hosts$/, handler: (q) => pageOf(d.hosts, q) },
    { pattern: /^\/api\/v1\/hosts\/([^/]+)$/, handler: (_q, [id]) => byId(d.hosts, id, 'Host') },
  ];
}
