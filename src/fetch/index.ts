// The fetch stage: from a planned API call to pages of raw items (HTTP, auth, retries, pacing,
// pagination, long-running operations). Names no provider: manifests choose among these capabilities.
export type {
  AzureTokenCredential,
  AwsCredentialIdentity,
  InjectedCredentials,
  CallStats,
  FetchCall,
  FetchEvent,
  HttpPort,
  HttpRequest,
  HttpResponse,
  ProviderClient,
  ProviderClientOptions,
} from './types.js';
export { createAxiosHttp } from './http.js';
export { createProviderClient } from './client.js';
export { TransportError, type TransportFailure } from './transport-error.js';
export { normaliseBaseUrl, isLoopbackHost } from './base-url.js';
export { extractApiError } from './errors.js';
