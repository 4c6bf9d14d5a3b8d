// Static catalogues the CloudConnexa data generator draws from (names, regions, platforms,
// disconnect reasons). Invariant: constant tables only — no randomness here, so generation order
// (and hence determinism) is owned by entities.ts and sessions-store.ts.
import type { PlatformResponse, VpnRegionResponse } from './types.js';

/** Region ids follow the AWS-like form seen in TF examples (`eu-central-1`, `eu-central-2`, api-facts A.4). */
export const REGIONS: readonly VpnRegionResponse[] = [
  { id: 'us-east-1', continent: 'North America', country: 'United States', countryIso: 'US', regionName: 'Virginia' },
  { id: 'us-west-1', continent: 'North America', country: 'United States', countryIso: 'US', regionName: 'California' },
  { id: 'ca-central-1', continent: 'North America', country: 'Canada', countryIso: 'CA', regionName: 'Toronto' },
  { id: 'sa-east-1', continent: 'South America', country: 'Brazil', countryIso: 'BR', regionName: 'Sao Paulo' },
  { id: 'eu-central-1', continent: 'Europe', country: 'Germany', countryIso: 'DE', regionName: 'Frankfurt' },
  { id: 'eu-central-2', continent: 'Europe', country: 'Switzerland', countryIso: 'CH', regionName: 'Zurich' },
  { id: 'eu-west-2', continent: 'Europe', country: 'United Kingdom', countryIso: 'GB', regionName: 'London' },
  { id: 'ap-south-1', continent: 'Asia', country: 'India', countryIso: 'IN', regionName: 'Mumbai' },
  { id: 'ap-southeast-1', continent: 'Asia', country: 'Singapore', countryIso: 'SG', regionName: 'Singapore' },
  { id: 'ap-northeast-1', continent: 'Asia', country: 'Japan', countryIso: 'JP', regionName: 'Tokyo' },
  { id: 'ap-southeast-2', continent: 'Oceania', country: 'Australia', countryIso: 'AU', regionName: 'Sydney' },
];

export const FIRST_NAMES = [
  'Alice',
  'Bob',
  'Carol',
  'David',
  'Erin',
  'Frank',
  'Grace',
  'Heidi',
  'Ivan',
  'Judy',
  'Karl',
  'Laura',
  'Mallory',
  'Niaj',
  'Olivia',
  'Peggy',
  'Quentin',
  'Rupert',
  'Sybil',
  'Trent',
  'Uma',
  'Victor',
  'Wendy',
  'Xavier',
  'Yasmin',
  'Zoe',
  'Amir',
  'Beatriz',
  'Chen',
  'Dmitri',
  'Elif',
  'Fatima',
  'Giulia',
  'Hiroshi',
  'Ingrid',
  'Jamal',
  'Kenji',
  'Lena',
  'Mateo',
  'Noor',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Garcia',
  'Miller',
  'Davis',
  'Martinez',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Novak',
  'Kowalski',
  'Schmidt',
  'Rossi',
  'Dubois',
  'Tanaka',
  'Kim',
  'Patel',
  'Okafor',
  'Silva',
] as const;

export const GROUP_NAMES = ['Default', 'Engineering', 'Sales', 'Support', 'Finance', 'Contractors'] as const;

/** Device platforms (os + version); clientVersion is the OpenVPN Connect version. */
export interface PlatformChoice {
  os: string;
  versions: readonly string[];
  deviceWord: string;
  weight: number;
}
export const PLATFORMS: readonly PlatformChoice[] = [
  { os: 'Windows', versions: ['10.0.19045', '10.0.22631', '10.0.26100'], deviceWord: 'laptop', weight: 40 },
  { os: 'macOS', versions: ['13.6.7', '14.5', '15.1'], deviceWord: 'macbook', weight: 25 },
  { os: 'Linux', versions: ['Ubuntu 22.04', 'Ubuntu 24.04', 'Fedora 40'], deviceWord: 'workstation', weight: 10 },
  { os: 'iOS', versions: ['17.5', '18.1'], deviceWord: 'iphone', weight: 12 },
  { os: 'Android', versions: ['13', '14', '15'], deviceWord: 'phone', weight: 10 },
  { os: 'ChromeOS', versions: ['126.0.6478', '130.0.6723'], deviceWord: 'chromebook', weight: 3 },
];
export const CLIENT_VERSIONS = ['3.4.4', '3.5.0', '3.5.1', '3.6.0'] as const;

export const CONNECTOR_PLATFORM: PlatformResponse = { os: 'Linux', version: 'Ubuntu 22.04', clientVersion: '3.5.0' };

export const NETWORK_DEFS = [
  { name: 'hq-office', description: 'Head office LAN', subnet: '10.10.0.0/16' },
  { name: 'aws-prod-vpc', description: 'Production VPC (AWS)', subnet: '10.20.0.0/16' },
  { name: 'azure-dev-vnet', description: 'Development VNet (Azure)', subnet: '10.30.0.0/16' },
  { name: 'datacenter-fra', description: 'Frankfurt data centre', subnet: '172.16.0.0/20' },
] as const;

export const HOST_DEFS = [
  { name: 'build-server', description: 'CI build host', domain: 'build.example.internal' },
  { name: 'db-primary', description: 'Primary database host', domain: 'db.example.internal' },
  { name: 'jump-host', description: 'Administrative jump host', domain: 'jump.example.internal' },
] as const;

export const PROTOCOLS = ['UDP', 'TCP'] as const;

/**
 * Disconnect reasons. Their values are not documented (api-facts A.3 types them as strings) [I]:
 * the first block is used for COMPLETED sessions, the second for FAILED ones.
 */
export const COMPLETED_REASONS: readonly (readonly [string, string])[] = [
  ['USER_DISCONNECTED', 'The user disconnected the session'],
  ['IDLE_TIMEOUT', 'Session closed after the idle timeout'],
  ['SESSION_EXPIRED', 'Session reached its maximum lifetime'],
  ['PING_TIMEOUT', 'Connection lost (keepalive timeout)'],
  ['ADMIN_DISCONNECT', 'Session disconnected by an administrator'],
];
export const FAILED_REASONS: readonly (readonly [string, string])[] = [
  ['AUTH_FAILED', 'Authentication failed'],
  ['TLS_HANDSHAKE_FAILED', 'TLS handshake failed'],
  ['DEVICE_LIMIT_REACHED', 'Maximum number of devices for the user group reached'],
  ['ACCESS_DENIED', 'User is not allowed to connect to this region'],
];
