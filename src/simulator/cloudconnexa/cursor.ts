// Session cursor codec: an opaque 24-hex string (ObjectId-like, api-facts A.3 example
// `63527ce1d8e5811243db4902`) that names the last session of the previous page.
// Invariant: only cursors this simulator issued decode (check word bound to seed + session);
// anything else decodes to null, which the route answers with 400.
import { hash32 } from './prng.js';

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

export interface CursorCodec {
  encode(index: number): string;
  /** The session index named by the cursor, or null when the cursor is not one of ours. */
  decode(cursor: string): number | null;
}

export function createCursorCodec(seed: number, created: Float64Array): CursorCodec {
  const mask = hash32(seed, 0xc0ffee);
  const sec = (i: number): number => Math.floor(created[i] / 1000) >>> 0;
  return {
    encode(index) {
      const s = sec(index);
      return hex8(s) + hex8(index ^ mask) + hex8(hash32(seed, index, s));
    },
    decode(cursor) {
      if (!/^[0-9a-f]{24}$/.test(cursor)) return null;
      const s = parseInt(cursor.slice(0, 8), 16);
      const index = (parseInt(cursor.slice(8, 16), 16) ^ mask) >>> 0;
      const check = parseInt(cursor.slice(16, 24), 16);
      if (index >= created.length || sec(index) !== s || hash32(seed, index, s) !== check) return null;
      return index;
    },
  };
}

/** Session id: ObjectId-like 24 hex = creation seconds (8) + per-seed "machine" (6) + index (10). */
export function sessionId(machine: string, createdMs: number, index: number): string {
  return hex8(Math.floor(createdMs / 1000)) + machine + index.toString(16).padStart(10, '0');
}
