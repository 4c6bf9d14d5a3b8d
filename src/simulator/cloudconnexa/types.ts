// Public types of the CloudConnexa simulator: options, the request log, faults, and the API-shaped
// objects it serves. Invariant: field names and types follow api-facts.md A.3/A.4/A.6 exactly
// (optional fields that have no value are omitted from JSON, never sent as null).

export type SessionStatus = 'ACTIVE' | 'COMPLETED' | 'FAILED';
export type ConnectionStatus = 'ONLINE' | 'OFFLINE' | 'ONLINE_WITH_ISSUES';

/** SessionResponse (api-facts A.3; primaryGroupName/secondaryGroupNames from v1.1.6). */
export interface SessionResponse {
  id: string;
  userName?: string;
  userId?: string;
  userGroup?: string;
  primaryGroupName?: string;
  secondaryGroupNames?: string[];
  hostName?: string;
  hostId?: string;
  networkName?: string;
  networkId?: string;
  deviceName?: string;
  deviceId?: string;
  clientUUID?: string;
  osType?: string;
  osVersion?: string;
  connectorName?: string;
  connectorId?: string;
  region: string;
  sessionStartTime: string;
  status: SessionStatus;
  disconnectReason?: string;
  disconnectReasonDescription?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  bytesIn: number;
  bytesOut: number;
  protocol: string;
  publicIp: string;
  tunnelIpV4: string;
  tunnelIpV6: string;
  sessionEndTime?: string;
  sessionDurationSeconds: number;
}

export interface PlatformResponse {
  os: string;
  version: string;
  clientVersion: string;
}

/** DeviceResponse (api-facts A.4): `platform` is an object. */
export interface DeviceResponse {
  id: string;
  userId: string;
  clientUUID: string;
  name: string;
  description: string;
  ipV4Address: string;
  ipV6Address: string;
  platform: PlatformResponse;
  connectionStatus: ConnectionStatus;
}

export interface UserResponse {
  id: string;
  firstName: string;
  lastName: string;
  username: string;
  email: string;
  groupId: string;
  secondaryGroupIds: string[];
  status: 'INVITED' | 'ACTIVE' | 'SUSPENDED' | 'SUSPENDED_IDP';
  authType: 'INTERNAL' | 'SAML' | 'LDAP';
  role: 'OWNER' | 'MEMBER' | 'ADMIN';
  devices: DeviceResponse[];
  connectionStatus: ConnectionStatus;
  licensed: boolean;
}

export interface UserGroupResponse {
  id: string;
  name: string;
  vpnRegionIds: string[];
  allRegionsIncluded: boolean;
  internetAccess: 'SPLIT_TUNNEL_ON' | 'SPLIT_TUNNEL_OFF' | 'RESTRICTED_INTERNET';
  maxDevice: number;
  connectAuth: 'NO_AUTH' | 'ON_PRIOR_AUTH' | 'EVERY_TIME';
  systemSubnets: string[];
  gatewaysIds: string[];
  tunnelBypass: { ipv4Subnets: string[] };
}

export interface RouteResponse {
  id: string;
  type: 'IP_V4' | 'IP_V6' | 'DOMAIN';
  subnet: string;
  description: string;
}

export interface NetworkConnectorResponse {
  id: string;
  networkItemId: string;
  networkItemType: 'NETWORK';
  name: string;
  description: string;
  vpnRegionId: string;
  ipV4Address: string;
  ipV6Address: string;
  tunnelingProtocol: 'OPENVPN' | 'IPSEC';
  connectionStatus: ConnectionStatus;
  licensed: boolean;
}

export interface HostConnectorResponse {
  id: string;
  networkItemId: string;
  networkItemType: 'HOST';
  name: string;
  description: string;
  vpnRegionId: string;
  ipV4Address: string;
  ipV6Address: string;
  connectionStatus: ConnectionStatus;
  licensed: boolean;
}

export interface NetworkResponse {
  id: string;
  name: string;
  description: string;
  egress: boolean;
  internetAccess: 'SPLIT_TUNNEL_ON' | 'SPLIT_TUNNEL_OFF' | 'RESTRICTED_INTERNET';
  systemSubnets: string[];
  connectors: NetworkConnectorResponse[];
  routes: RouteResponse[];
  tunnelingProtocol: 'OPENVPN' | 'IPSEC';
  gatewaysIds: string[];
}

export interface HostResponse {
  id: string;
  name: string;
  description: string;
  domain: string;
  internetAccess: 'SPLIT_TUNNEL_ON' | 'SPLIT_TUNNEL_OFF' | 'RESTRICTED_INTERNET';
  systemSubnets: string[];
  connectors: HostConnectorResponse[];
  gatewaysIds: string[];
}

export interface VpnRegionResponse {
  id: string;
  continent: string;
  country: string;
  countryIso: string;
  regionName: string;
}

/** ErrorResponse (api-facts A.6). */
export interface ErrorDetail {
  errorCode: string;
  message: string;
  params: Record<string, unknown>;
}
export interface ErrorResponse {
  errorDetails: Record<string, ErrorDetail[]>;
  errorMessage: string;
  statusError: string;
}

/** The generated data set, as plain objects in API shape. */
export interface SimData {
  /** Clock value (ms) the data was generated against; all timestamps are relative to it. */
  readonly generatedAt: number;
  readonly sessionCount: number;
  /** The session at `index` in the stable order (created time, then id); built on demand. */
  sessionAt(index: number): SessionResponse;
  /**
   * All sessions in stable order. Materialised on first access and cached: cheap for the default
   * data set, heavy for 10^6 sessions (prefer sessionAt/sessionCount there).
   */
  readonly sessions: readonly SessionResponse[];
  readonly users: UserResponse[];
  readonly userGroups: UserGroupResponse[];
  readonly devices: DeviceResponse[];
  readonly networks: NetworkResponse[];
  readonly hosts: HostResponse[];
  readonly networkConnectors: NetworkConnectorResponse[];
  readonly hostConnectors: HostConnectorResponse[];
  readonly regions: VpnRegionResponse[];
}

export interface RateLimitOptions {
  /** Bucket size; the bucket starts full. Integer ≥ 1. */
  burst: number;
  /** Tokens added per replenish period. Integer ≥ 1. */
  replenishRate: number;
  /** Replenish period in whole seconds (the header is a bare integer, api-facts A.5). Integer ≥ 1. */
  replenishTimeSeconds: number;
}

export interface CloudConnexaSimOptions {
  seed?: number;
  sessions?: number;
  historyDays?: number;
  users?: number;
  now?: () => number;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  latencyMs?: number;
  rateLimit?: RateLimitOptions | false;
  maxPageSizeSessions?: number;
}

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  at: number;
  auth: 'basic' | 'bearer' | 'query' | 'none';
}

export interface Fault {
  path?: string | RegExp;
  status: number;
  times?: number;
  after?: number;
  body?: 'empty' | 'malformed' | 'truncated' | string;
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface CloudConnexaSimulator {
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  requests: SimRequest[];
  data: SimData;
  injectFault(f: Fault): void;
  /** The simulator's clock (the `now` option plus the time let pass). */
  now(): number;
  /**
   * Lets simulated time pass: the clock moves on by `ms`, new sessions start and a share of the
   * active ones complete in between (for incremental syncs).
   */
  advance(ms: number, what?: { newSessions?: number; endActive?: number }): void;
  revokeTokens(): void;
  resetLog(): void;
  close(): Promise<void>;
}
