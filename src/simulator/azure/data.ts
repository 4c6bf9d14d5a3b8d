// Builds the simulator's deterministic ARM data set (subscriptions, resource groups, Bastion hosts,
// active sessions) from a seed. Invariant: subscription[0] holds rg-core/bastion-core with >= 3
// sessions unless sessionsPerHost forbids it (the README example queries it).
import { createRng, type Rng } from './prng.js';
import type { AzureResourceGroup, AzureSimData, AzureSubscription, BastionActiveSession, BastionHost, BastionSkuName } from './types.js';

export interface DataOptions {
  seed: number;
  subscriptions: number;
  resourceGroupsPerSubscription: number;
  hostsPerSubscription: number;
  sessionsPerHost: number | [number, number];
  tenantId: string;
  now: number;
}

const SUBSCRIPTION_NAMES = [
  'Contoso Production',
  'Contoso Development',
  'Contoso Shared Services',
  'Contoso Staging',
  'Contoso Sandbox',
  'Contoso Data Platform',
  'Contoso Identity',
  'Contoso Connectivity',
];

/** Resource groups after rg-core, handed out in order across subscriptions. */
const RESOURCE_GROUP_POOL = [
  'rg-prod-weu',
  'rg-prod-eus',
  'rg-dev-weu',
  'rg-shared-neu',
  'rg-hub-wus2',
  'RG-Legacy-Apps',
  'rg-identity-uks',
  'rg-data-eus',
  'rg-sandbox-sec',
];

const REGION_BY_SUFFIX: Record<string, string> = {
  weu: 'westeurope',
  eus: 'eastus',
  neu: 'northeurope',
  wus2: 'westus2',
  uks: 'uksouth',
  sec: 'swedencentral',
};
const SUFFIX_BY_REGION: Record<string, string> = Object.fromEntries(Object.entries(REGION_BY_SUFFIX).map(([suffix, region]) => [region, suffix]));
const REGIONS = Object.values(REGION_BY_SUFFIX);

const USERS = [
  'alice.nguyen@contoso.com',
  'bob.smith@contoso.com',
  'carol.jones@contoso.com',
  'dave.patel@contoso.com',
  'erin.garcia@contoso.com',
  'frank.li@contoso.onmicrosoft.com',
  'grace.kim_fabrikam.com#EXT#@contoso.onmicrosoft.com',
  'heidi.mueller@contoso.com',
  'svc-deploy@contoso.com',
];

/** VM roles; the Windows ones are reached over RDP, the rest over SSH. */
const VM_ROLES = ['web', 'app', 'sql', 'jump', 'build', 'dc', 'k8s', 'ops', 'win'] as const;
const WINDOWS_ROLES = new Set(['sql', 'dc', 'win']);

interface Vm {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  ip: string;
  protocol: 'SSH' | 'RDP';
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function regionOf(rgName: string, rng: Rng): string {
  const m = /-([a-z0-9]+)$/i.exec(rgName);
  const region = m ? REGION_BY_SUFFIX[m[1].toLowerCase()] : undefined;
  return region ?? rng.pick(REGIONS);
}

function stemOf(rgName: string): string {
  return rgName.replace(/^rg-/i, '').replace(new RegExp(`-(${Object.keys(REGION_BY_SUFFIX).join('|')})$`, 'i'), '');
}

function vmName(role: string, n: number): string {
  if (role === 'dc') return `dc${pad2(n)}`;
  if (role === 'jump') return `jumpbox-${pad2(n)}`;
  return `vm-${role}-${pad2(n)}`;
}

/**
 * startTime as a string (api-facts B.1: typed `object`, example "2019-1-1T12:00:00.0000Z").
 * Mostly ISO-8601 UTC; every 7th session (index % 7 == 3) uses the spec example's sloppy form
 * (no zero padding on month/day, 4-digit fraction); every 4th otherwise (index % 4 == 2) the
 * .NET 7-digit fraction ARM often emits.
 */
export function formatStartTime(ms: number, index: number): string {
  const d = new Date(ms);
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const frac = iso.slice(20, 23);
  if (index % 7 === 3) {
    const time = iso.slice(11, 19);
    return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()}T${time}.${frac}0Z`;
  }
  if (index % 4 === 2) return `${iso.slice(0, 19)}.${frac}0000Z`;
  return iso;
}

export function hostArmId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/bastionHosts/${name}`;
}

function sessionCount(spec: number | [number, number], rng: Rng): number {
  if (typeof spec === 'number') return Math.max(0, Math.trunc(spec));
  const [lo, hi] = spec;
  return rng.int(Math.max(0, Math.trunc(Math.min(lo, hi))), Math.max(0, Math.trunc(Math.max(lo, hi))));
}

function makeHost(rng: Rng, sub: AzureSubscription, rg: AzureResourceGroup, name: string, vnet: string, forceSku?: BastionSkuName): BastionHost {
  const id = hostArmId(sub.subscriptionId, rg.name, name);
  const sku: BastionSkuName = forceSku ?? rng.pick<BastionSkuName>(['Basic', 'Standard', 'Standard', 'Premium']);
  const basic = sku === 'Basic';
  const privateOnly = sku === 'Premium' && rng.chance(0.4);
  const stem = stemOf(rg.name).toLowerCase();
  const environment = /prod|core/.test(stem) ? 'prod' : /dev|sandbox/.test(stem) ? 'dev' : 'shared';
  const ipConfigId = `${id}/bastionHostIpConfigurations/IpConf`;
  const ipConfig = {
    id: ipConfigId,
    name: 'IpConf',
    etag: `W/"${rng.uuid()}"`,
    type: 'Microsoft.Network/bastionHosts/bastionHostIpConfigurations',
    properties: {
      provisioningState: 'Succeeded',
      privateIPAllocationMethod: 'Dynamic',
      subnet: {
        id: `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg.name}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/AzureBastionSubnet`,
      },
      ...(privateOnly
        ? {}
        : {
            publicIPAddress: {
              id: `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg.name}/providers/Microsoft.Network/publicIPAddresses/pip-${name}`,
            },
          }),
    },
  };
  return {
    id,
    name,
    type: 'Microsoft.Network/bastionHosts',
    location: rg.location,
    tags: { environment, owner: 'platform-team', costCenter: `cc-${rng.int(1000, 1999)}` },
    etag: `W/"${rng.uuid()}"`,
    sku: { name: sku },
    zones: !basic && rng.chance(0.5) ? ['1', '2', '3'] : [],
    properties: {
      provisioningState: 'Succeeded',
      dnsName: `bst-${rng.uuid()}.bastion.azure.com`,
      scaleUnits: basic ? 2 : rng.int(2, 6),
      disableCopyPaste: !basic && rng.chance(0.2),
      enableFileCopy: !basic && rng.chance(0.6),
      enableIpConnect: !basic && rng.chance(0.5),
      enableShareableLink: !basic && rng.chance(0.3),
      enableTunneling: !basic && rng.chance(0.7),
      enableKerberos: false,
      enableSessionRecording: sku === 'Premium' && rng.chance(0.5),
      enablePrivateOnlyBastion: privateOnly,
      ipConfigurations: [ipConfig],
    },
  };
}

export function generateData(o: DataOptions): AzureSimData {
  const rng = createRng(o.seed);
  const subscriptions: AzureSubscription[] = [];
  const resourceGroups: AzureResourceGroup[] = [];
  const bastionHosts: BastionHost[] = [];
  const sessions = new Map<string, BastionActiveSession[]>();
  const vmsBySub = new Map<string, Vm[]>();

  let rgCursor = 0;
  const nextRgName = (): string => {
    const i = rgCursor++;
    if (i < RESOURCE_GROUP_POOL.length) return RESOURCE_GROUP_POOL[i];
    const suffix = Object.keys(REGION_BY_SUFFIX)[i % REGIONS.length];
    return `rg-workload-${pad2(i - RESOURCE_GROUP_POOL.length + 1)}-${suffix}`;
  };

  // Subscriptions, resource groups and the VMs behind them.
  for (let s = 0; s < o.subscriptions; s++) {
    const sub: AzureSubscription = {
      subscriptionId: rng.uuid(),
      displayName: SUBSCRIPTION_NAMES[s] ?? `Contoso Subscription ${s + 1}`,
      state: 'Enabled',
      tenantId: o.tenantId,
    };
    subscriptions.push(sub);
    const vms: Vm[] = [];
    for (let r = 0; r < o.resourceGroupsPerSubscription; r++) {
      const name = s === 0 && r === 0 ? 'rg-core' : nextRgName();
      const location = name === 'rg-core' ? 'westeurope' : regionOf(name, rng);
      resourceGroups.push({ subscriptionId: sub.subscriptionId, name, location });
      const roles = rng.shuffle(VM_ROLES).slice(0, rng.int(2, 4));
      roles.forEach((role, k) => {
        vms.push({
          subscriptionId: sub.subscriptionId,
          resourceGroup: name,
          name: vmName(role, rng.int(1, 3)),
          ip: `10.${(10 + s) % 256}.${r % 256}.${4 + k}`,
          protocol: WINDOWS_ROLES.has(role) ? 'RDP' : 'SSH',
        });
      });
    }
    // two VMs in one resource group must not share a name
    const seen = new Set<string>();
    vmsBySub.set(
      sub.subscriptionId,
      vms.filter((vm) => {
        const key = `${vm.resourceGroup}/${vm.name}`.toLowerCase();
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    );
  }

  // Bastion hosts, round-robin over each subscription's resource groups.
  for (const sub of subscriptions) {
    const rgs = resourceGroups.filter((rg) => rg.subscriptionId === sub.subscriptionId);
    if (rgs.length === 0) continue;
    const names = new Set<string>();
    const counters = new Map<string, number>();
    for (let h = 0; h < o.hostsPerSubscription; h++) {
      const rg = rgs[h % rgs.length];
      let name = `bastion-${stemOf(rg.name)}`;
      if (names.has(name.toLowerCase())) {
        const suffix = SUFFIX_BY_REGION[rg.location] ?? 'x';
        const n = (counters.get(suffix) ?? 0) + 1;
        counters.set(suffix, n);
        name = `bas-${suffix}-${pad2(n)}`;
      }
      names.add(name.toLowerCase());
      const vnet = `vnet-${stemOf(rg.name).toLowerCase()}-${SUFFIX_BY_REGION[rg.location] ?? 'x'}`;
      bastionHosts.push(makeHost(rng, sub, rg, name, vnet, name === 'bastion-core' ? 'Standard' : undefined));
    }
  }

  // Active sessions.
  const counts = bastionHosts.map((host) => {
    let n = sessionCount(o.sessionsPerHost, rng);
    if (host.name === 'bastion-core' && host.id.toLowerCase().includes('/resourcegroups/rg-core/')) {
      const max = typeof o.sessionsPerHost === 'number' ? n : Math.max(...o.sessionsPerHost);
      n = Math.max(n, Math.min(3, max));
    }
    return n;
  });
  const min = typeof o.sessionsPerHost === 'number' ? o.sessionsPerHost : Math.min(...o.sessionsPerHost);
  if (min <= 0 && counts.length > 1 && !counts.includes(0)) counts[counts.length - 1] = 0;

  let index = 0;
  bastionHosts.forEach((host, h) => {
    const subId = host.id.split('/')[2];
    const rgName = host.id.split('/')[4];
    const own = vmsBySub.get(subId) ?? [];
    const local = own.filter((vm) => vm.resourceGroup === rgName);
    const list: BastionActiveSession[] = [];
    for (let i = 0; i < counts[h]; i++) {
      const roll = rng.next();
      let pool = local.length > 0 ? local : own;
      if (roll > 0.8 && own.length > 0) pool = own;
      if (roll > 0.95 && subscriptions.length > 1) {
        const other = rng.pick(subscriptions.filter((s) => s.subscriptionId !== subId));
        pool = vmsBySub.get(other.subscriptionId) ?? pool;
      }
      const vm = rng.pick(pool);
      const durationMs = rng.int(5_000, 8 * 3_600_000);
      const startMs = o.now - durationMs;
      list.push({
        sessionId: rng.uuid(),
        startTime: formatStartTime(startMs, index),
        targetSubscriptionId: vm.subscriptionId,
        resourceType: 'VM',
        targetHostName: vm.name,
        targetResourceGroup: vm.resourceGroup,
        userName: rng.pick(USERS),
        targetIpAddress: vm.ip,
        protocol: vm.protocol,
        targetResourceId: `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vm.name}`,
        sessionDurationInMins: Math.round((durationMs / 60_000) * 10_000) / 10_000,
      });
      index++;
    }
    sessions.set(host.id.toLowerCase(), list);
  });

  return { subscriptions, resourceGroups, bastionHosts, sessions };
}
