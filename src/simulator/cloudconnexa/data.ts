// Builds the simulator's data set (entities + columnar sessions) and turns a session row into a
// SessionResponse object on demand. Invariant: same seed + same clock value → identical data;
// every session's userId/deviceId/networkId/hostId/connectorId/region exists in the entities.
import { COMPLETED_REASONS, FAILED_REASONS, PROTOCOLS } from './catalog.js';
import { createCursorCodec, sessionId, type CursorCodec } from './cursor.js';
import { generateEntities, type Entities } from './entities.js';
import { ipv4ToString, overlayV4, overlayV6 } from './ip.js';
import { createRng, hash32 } from './prng.js';
import { ACTIVE, FAILED, KIND_HOST_CONNECTOR, KIND_NETWORK_CONNECTOR, STATUS_NAMES, SessionStore } from './sessions-store.js';
import type { SessionResponse, SimData } from './types.js';

export const DAY_MS = 86_400_000;

export interface DataOptions {
  seed: number;
  sessions: number;
  users: number;
  historyDays: number;
  now0: number;
}

export interface BuiltData {
  data: SimData;
  store: SessionStore;
  cursors: CursorCodec;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

type Owner = Pick<
  SessionResponse,
  | 'userName'
  | 'userId'
  | 'userGroup'
  | 'primaryGroupName'
  | 'secondaryGroupNames'
  | 'hostName'
  | 'hostId'
  | 'networkName'
  | 'networkId'
  | 'deviceName'
  | 'deviceId'
  | 'clientUUID'
  | 'osType'
  | 'osVersion'
  | 'connectorName'
  | 'connectorId'
  | 'firstName'
  | 'lastName'
  | 'email'
> & { overlay: number };

function makeOwner(ent: Entities, kind: number, ref: number, groupNames: Map<string, string>): Owner {
  if (kind === KIND_NETWORK_CONNECTOR) {
    const conn = ent.networkConnectors[ref];
    const net = ent.networks.find((n) => n.id === conn.networkItemId)!;
    const overlay = ent.networkConnectorOverlay[ref];
    return { networkName: net.name, networkId: net.id, connectorName: conn.name, connectorId: conn.id, overlay };
  }
  if (kind === KIND_HOST_CONNECTOR) {
    const conn = ent.hostConnectors[ref];
    const host = ent.hosts.find((h) => h.id === conn.networkItemId)!;
    const overlay = ent.hostConnectorOverlay[ref];
    return { hostName: host.name, hostId: host.id, connectorName: conn.name, connectorId: conn.id, overlay };
  }
  const device = ent.devices[ref];
  const user = ent.users[ent.deviceUser[ref]];
  const group = ent.userGroups[ent.userGroupIndex[ent.deviceUser[ref]]];
  return {
    userName: user.username,
    userId: user.id,
    userGroup: group.name,
    primaryGroupName: group.name,
    secondaryGroupNames: user.secondaryGroupIds.map((g) => groupNames.get(g) ?? g),
    deviceName: device.name,
    deviceId: device.id,
    clientUUID: device.clientUUID,
    osType: device.platform.os,
    osVersion: device.platform.version,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    overlay: ent.deviceOverlay[ref],
  };
}

/** Builds SessionResponse objects with keys in the documented order; absent fields are omitted. */
function makeSessionAt(ent: Entities, store: SessionStore, machine: string): (i: number) => SessionResponse {
  const groupNames = new Map(ent.userGroups.map((g) => [g.id, g.name] as const));
  return (i) => {
    // read at each call: letting time pass replaces the columns
    const c = store.cols;
    if (!Number.isInteger(i) || i < 0 || i >= c.n) throw new RangeError(`session index ${i} out of range 0..${c.n - 1}`);
    const status = c.status[i];
    const o = makeOwner(ent, c.kind[i], c.ref[i], groupNames);
    const reason = status === ACTIVE ? undefined : (status === FAILED ? FAILED_REASONS : COMPLETED_REASONS)[c.reason[i]];
    const s: SessionResponse = {
      id: sessionId(machine, c.created[i], i),
      userName: o.userName,
      userId: o.userId,
      userGroup: o.userGroup,
      primaryGroupName: o.primaryGroupName,
      secondaryGroupNames: o.secondaryGroupNames,
      hostName: o.hostName,
      hostId: o.hostId,
      networkName: o.networkName,
      networkId: o.networkId,
      deviceName: o.deviceName,
      deviceId: o.deviceId,
      clientUUID: o.clientUUID,
      osType: o.osType,
      osVersion: o.osVersion,
      connectorName: o.connectorName,
      connectorId: o.connectorId,
      region: ent.regions[c.region[i]].id,
      sessionStartTime: iso(c.created[i]),
      status: STATUS_NAMES[status],
      disconnectReason: reason?.[0],
      disconnectReasonDescription: reason?.[1],
      firstName: o.firstName,
      lastName: o.lastName,
      email: o.email,
      bytesIn: c.bytesIn[i],
      bytesOut: c.bytesOut[i],
      protocol: PROTOCOLS[c.protocol[i]],
      publicIp: ipv4ToString(c.publicIp[i]),
      tunnelIpV4: overlayV4(o.overlay),
      tunnelIpV6: overlayV6(o.overlay),
      // ACTIVE sessions have no end time (their updated time is an internal heartbeat).
      sessionEndTime: status === ACTIVE ? undefined : iso(c.updated[i]),
      sessionDurationSeconds: Math.floor((c.updated[i] - c.created[i]) / 1000),
    };
    for (const k of Object.keys(s) as (keyof SessionResponse)[]) if (s[k] === undefined) delete s[k];
    return s;
  };
}

/** Devices, users and connectors with an ACTIVE session are ONLINE, others OFFLINE. */
function markOnline(ent: Entities, store: SessionStore): void {
  const c = store.cols;
  for (let i = 0; i < c.n; i++) {
    if (c.status[i] !== ACTIVE) continue;
    if (c.kind[i] === KIND_NETWORK_CONNECTOR) ent.networkConnectors[c.ref[i]].connectionStatus = 'ONLINE';
    else if (c.kind[i] === KIND_HOST_CONNECTOR) ent.hostConnectors[c.ref[i]].connectionStatus = 'ONLINE';
    else {
      ent.devices[c.ref[i]].connectionStatus = 'ONLINE';
      ent.users[ent.deviceUser[c.ref[i]]].connectionStatus = 'ONLINE';
    }
  }
}

export function buildData(o: DataOptions): BuiltData {
  const entities = generateEntities(createRng(o.seed), o.users);
  const store = new SessionStore({
    n: o.sessions,
    seed: o.seed,
    now0: o.now0,
    historyMs: o.historyDays * DAY_MS,
    entities,
  });
  markOnline(entities, store);
  const machine = hash32(o.seed, 0x6d616368).toString(16).padStart(8, '0').slice(0, 6);
  const sessionAt = makeSessionAt(entities, store, machine);
  let all: SessionResponse[] | undefined;
  let allAt = -1;
  const data: SimData = {
    generatedAt: o.now0,
    get sessionCount() {
      return store.cols.n;
    },
    sessionAt,
    get sessions(): readonly SessionResponse[] {
      if (!all || allAt !== store.version) {
        all = new Array<SessionResponse>(store.cols.n);
        for (let i = 0; i < store.cols.n; i++) all[i] = sessionAt(i);
        allAt = store.version;
      }
      return all;
    },
    users: entities.users,
    userGroups: entities.userGroups,
    devices: entities.devices,
    networks: entities.networks,
    hosts: entities.hosts,
    networkConnectors: entities.networkConnectors,
    hostConnectors: entities.hostConnectors,
    regions: entities.regions,
  };
  let codec = createCursorCodec(o.seed, store.cols.created);
  let codecAt = store.version;
  // cursors name sessions by index and creation second: rebuilt when time passed
  const cursors = {
    encode: (i: number) => current().encode(i),
    decode: (c: string) => current().decode(c),
  };
  function current() {
    if (codecAt !== store.version) {
      codec = createCursorCodec(o.seed, store.cols.created);
      codecAt = store.version;
    }
    return codec;
  }
  return { data, store, cursors };
}
