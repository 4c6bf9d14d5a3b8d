// Public entry of the CloudConnexa simulator: a local fake of the OpenVPN CloudConnexa API
// (api-facts.md section A) for tests, --demo and benchmarks. Invariant: this module only
// re-exports; behaviour lives in server.ts and the modules it composes.
export { startCloudConnexaSimulator } from './server.js';
export { DEFAULTS as CLOUDCONNEXA_SIM_DEFAULTS } from './options.js';
export type {
  CloudConnexaSimOptions,
  CloudConnexaSimulator,
  DeviceResponse,
  ErrorResponse,
  Fault,
  HostConnectorResponse,
  HostResponse,
  NetworkConnectorResponse,
  NetworkResponse,
  RateLimitOptions,
  SessionResponse,
  SimData,
  SimRequest,
  UserGroupResponse,
  UserResponse,
  VpnRegionResponse,
} from './types.js';
