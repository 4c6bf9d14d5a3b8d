// Generates the CloudConnexa entities that sessions join to: regions, user groups, users, devices,
// networks, hosts and their connectors (api-facts A.4 shapes). Invariant: every id a session or
// another entity refers to exists here; output depends only on the seed and the user count.
import {
  CLIENT_VERSIONS,
  FIRST_NAMES,
  GROUP_NAMES,
  HOST_DEFS,
  LAST_NAMES,
  NETWORK_DEFS,
  PLATFORMS,
  REGIONS,
  type PlatformChoice,
} from './catalog.js';
import { CONNECTOR_OVERLAY_START, DEVICE_OVERLAY_START, overlayV4, overlayV6 } from './ip.js';
import { type Rng, uuid } from './prng.js';
import type {
  DeviceResponse,
  HostConnectorResponse,
  HostResponse,
  NetworkConnectorResponse,
  NetworkResponse,
  UserGroupResponse,
  UserResponse,
  VpnRegionResponse,
} from './types.js';

export interface Entities {
  regions: VpnRegionResponse[];
  userGroups: UserGroupResponse[];
  users: UserResponse[];
  devices: DeviceResponse[];
  networks: NetworkResponse[];
  hosts: HostResponse[];
  networkConnectors: NetworkConnectorResponse[];
  hostConnectors: HostConnectorResponse[];
  /** Per device: index of its user in `users`. */
  deviceUser: number[];
  /** Per user: index of its primary group in `userGroups`. */
  userGroupIndex: number[];
  /** Per device: region indices its user's group may connect to. */
  deviceRegions: number[][];
  /** Devices whose users can open sessions (users that are not INVITED). */
  sessionDevices: number[];
  /** Overlay offset per device / network connector / host connector (tunnel IPs). */
  deviceOverlay: number[];
  networkConnectorOverlay: number[];
  hostConnectorOverlay: number[];
}

const SYSTEM_SUBNETS = ['100.96.0.0/11', 'fd:0:0:8000::/49'];
const INTERNET_ACCESS = ['SPLIT_TUNNEL_ON', 'SPLIT_TUNNEL_OFF', 'RESTRICTED_INTERNET'] as const;
const CONNECT_AUTH = ['NO_AUTH', 'ON_PRIOR_AUTH', 'EVERY_TIME'] as const;

function regionIndices(rng: Rng, count: number): number[] {
  const all = REGIONS.map((_, i) => i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}

function makeGroups(rng: Rng): { groups: UserGroupResponse[]; regionSets: number[][] } {
  const groups: UserGroupResponse[] = [];
  const regionSets: number[][] = [];
  GROUP_NAMES.forEach((name, g) => {
    const all = g === 0;
    const set = all ? REGIONS.map((_, i) => i) : regionIndices(rng, rng.range(2, 4));
    regionSets.push(set);
    groups.push({
      id: uuid(rng),
      name,
      vpnRegionIds: set.map((i) => REGIONS[i].id),
      allRegionsIncluded: all,
      internetAccess: g === 0 ? 'SPLIT_TUNNEL_ON' : rng.pick(INTERNET_ACCESS),
      maxDevice: rng.range(3, 10),
      connectAuth: rng.pick(CONNECT_AUTH),
      systemSubnets: [...SYSTEM_SUBNETS],
      gatewaysIds: [],
      tunnelBypass: { ipv4Subnets: [] },
    });
  });
  return { groups, regionSets };
}

function pickPlatform(rng: Rng): PlatformChoice {
  const total = PLATFORMS.reduce((s, p) => s + p.weight, 0);
  let r = rng.next() * total;
  for (const p of PLATFORMS) {
    r -= p.weight;
    if (r < 0) return p;
  }
  return PLATFORMS[0];
}

function pickStatus(rng: Rng, index: number): UserResponse['status'] {
  if (index === 0) return 'ACTIVE';
  const r = rng.next();
  return r < 0.85 ? 'ACTIVE' : r < 0.92 ? 'INVITED' : r < 0.97 ? 'SUSPENDED' : 'SUSPENDED_IDP';
}

function makeUsers(rng: Rng, count: number, groups: UserGroupResponse[], regionSets: number[][], out: Entities): void {
  const usernames = new Set<string>();
  const deviceNames = new Set<string>();
  for (let u = 0; u < count; u++) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const stem = `${firstName}.${lastName}`.toLowerCase();
    let username = stem;
    for (let k = 2; usernames.has(username); k++) username = `${stem}${k}`;
    usernames.add(username);
    const g = rng.next() < 0.3 ? 0 : 1 + rng.int(groups.length - 1);
    const secondary = rng.chance(0.2) ? [groups[(g + 1 + rng.int(groups.length - 1)) % groups.length].id] : [];
    const status = pickStatus(rng, u);
    const r = rng.next();
    const user: UserResponse = {
      id: uuid(rng),
      firstName,
      lastName,
      username,
      email: `${username}@example.com`,
      groupId: groups[g].id,
      secondaryGroupIds: secondary,
      status,
      authType: r < 0.7 ? 'INTERNAL' : r < 0.95 ? 'SAML' : 'LDAP',
      role: u === 0 ? 'OWNER' : rng.chance(0.1) ? 'ADMIN' : 'MEMBER',
      devices: [],
      connectionStatus: 'OFFLINE',
      licensed: status === 'ACTIVE' || rng.chance(0.3),
    };
    out.users.push(user);
    out.userGroupIndex.push(g);
    const deviceCount = status === 'INVITED' ? 0 : rng.range(1, 3);
    for (let d = 0; d < deviceCount; d++) {
      const p = pickPlatform(rng);
      const stemName = `${firstName.toLowerCase()}-${p.deviceWord}`;
      let name = stemName;
      for (let k = 2; deviceNames.has(name); k++) name = `${stemName}-${k}`;
      deviceNames.add(name);
      const di = out.devices.length;
      const offset = DEVICE_OVERLAY_START + di;
      const device: DeviceResponse = {
        id: uuid(rng),
        userId: user.id,
        clientUUID: uuid(rng),
        name,
        description: `${firstName}'s ${p.os} device`,
        ipV4Address: overlayV4(offset),
        ipV6Address: overlayV6(offset),
        platform: { os: p.os, version: rng.pick(p.versions), clientVersion: rng.pick(CLIENT_VERSIONS) },
        connectionStatus: 'OFFLINE',
      };
      out.devices.push(device);
      user.devices.push(device);
      out.deviceUser.push(u);
      out.deviceOverlay.push(offset);
      out.deviceRegions.push(regionSets[g]);
      out.sessionDevices.push(di);
    }
  }
}

function makeNetworks(rng: Rng, out: Entities): void {
  NETWORK_DEFS.forEach((def, n) => {
    const id = uuid(rng);
    const connectors: NetworkConnectorResponse[] = [];
    const count = n === 0 ? 2 : rng.range(1, 2);
    for (let c = 0; c < count; c++) {
      const offset = CONNECTOR_OVERLAY_START + out.networkConnectors.length;
      const connector: NetworkConnectorResponse = {
        id: uuid(rng),
        networkItemId: id,
        networkItemType: 'NETWORK',
        name: `${def.name}-connector-${c + 1}`,
        description: `Connector ${c + 1} of ${def.name}`,
        vpnRegionId: rng.pick(REGIONS).id,
        ipV4Address: overlayV4(offset),
        ipV6Address: overlayV6(offset),
        tunnelingProtocol: 'OPENVPN',
        connectionStatus: 'OFFLINE',
        licensed: true,
      };
      connectors.push(connector);
      out.networkConnectors.push(connector);
      out.networkConnectorOverlay.push(offset);
    }
    out.networks.push({
      id,
      name: def.name,
      description: def.description,
      egress: n === 0,
      internetAccess: rng.pick(INTERNET_ACCESS),
      systemSubnets: [...SYSTEM_SUBNETS],
      connectors,
      routes: [{ id: uuid(rng), type: 'IP_V4', subnet: def.subnet, description: `${def.name} LAN` }],
      tunnelingProtocol: 'OPENVPN',
      gatewaysIds: [],
    });
  });
}

function makeHosts(rng: Rng, out: Entities): void {
  HOST_DEFS.forEach((def) => {
    const id = uuid(rng);
    const offset = CONNECTOR_OVERLAY_START + 256 + out.hostConnectors.length;
    const connector: HostConnectorResponse = {
      id: uuid(rng),
      networkItemId: id,
      networkItemType: 'HOST',
      name: `${def.name}-connector`,
      description: `Connector of ${def.name}`,
      vpnRegionId: rng.pick(REGIONS).id,
      ipV4Address: overlayV4(offset),
      ipV6Address: overlayV6(offset),
      connectionStatus: 'OFFLINE',
      licensed: true,
    };
    out.hostConnectors.push(connector);
    out.hostConnectorOverlay.push(offset);
    out.hosts.push({
      id,
      name: def.name,
      description: def.description,
      domain: def.domain,
      internetAccess: 'SPLIT_TUNNEL_ON',
      systemSubnets: [...SYSTEM_SUBNETS],
      connectors: [connector],
      gatewaysIds: [],
    });
  });
}

export function generateEntities(rng: Rng, userCount: number): Entities {
  const out: Entities = {
    regions: REGIONS.map((r) => ({ ...r })),
    userGroups: [],
    users: [],
    devices: [],
    networks: [],
    hosts: [],
    networkConnectors: [],
    hostConnectors: [],
    deviceUser: [],
    userGroupIndex: [],
    deviceRegions: [],
    sessionDevices: [],
    deviceOverlay: [],
    networkConnectorOverlay: [],
    hostConnectorOverlay: [],
  };
  const { groups, regionSets } = makeGroups(rng);
  out.userGroups = groups;
  makeNetworks(rng, out);
  makeHosts(rng, out);
  makeUsers(rng, userCount, groups, regionSets, out);
  return out;
}
