// The long-running-operation styles a manifest can name (`longRunning`), one handler per kind (a
// new kind without a handler does not compile). A handler turns the first response into the
// final one, whose body is page 1.
import type { LongRunningKind } from '../manifest/schema.js';
import type { RequestContext } from './errors.js';
import { awaitOperation, type LroDeps } from './long-running.js';
import type { CallContext } from './transport.js';
import type { HttpResponse } from './types.js';

export type LroHandler = (initial: HttpResponse, rctx: RequestContext, ctx: CallContext, d: LroDeps) => Promise<HttpResponse>;

export const longRunningHandlers: Record<LongRunningKind, LroHandler> = {
  'azure-async': awaitOperation,
};
