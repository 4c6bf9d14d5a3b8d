// IP address helpers for the simulator's data: overlay (tunnel) addresses in 100.96.0.0/11 and
// fd:0:0:8000::/49, public addresses only from the RFC 5737 documentation ranges.
// Invariant: an overlay offset maps to exactly one IPv4 and one IPv6 address (no collisions).

/** RFC 5737 documentation /24s, used for every public IP the simulator emits. */
export const PUBLIC_RANGES = [0xcb007100 /* 203.0.113.0 */, 0xc6336400 /* 198.51.100.0 */, 0xc0000200 /* 192.0.2.0 */] as const;

export function ipv4ToString(ip: number): string {
  return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

const OVERLAY_V4_BASE = 0x64600000; // 100.96.0.0/11

/** Overlay IPv4 for an offset (0 ≤ offset < 2^21). */
export function overlayV4(offset: number): string {
  return ipv4ToString((OVERLAY_V4_BASE + offset) >>> 0);
}

/** Overlay IPv6 for an offset, in fd:0:0:8000::/49. */
export function overlayV6(offset: number): string {
  const hi = (offset >>> 16) & 0xffff;
  const lo = offset & 0xffff;
  return hi > 0 ? `fd:0:0:8000::${hi.toString(16)}:${lo.toString(16)}` : `fd:0:0:8000::${lo.toString(16)}`;
}

/** Overlay offsets: connectors start at 16, devices at 1024 (so the two never overlap). */
export const CONNECTOR_OVERLAY_START = 16;
export const DEVICE_OVERLAY_START = 1024;
