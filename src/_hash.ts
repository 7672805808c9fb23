/**
 * A fast 64-bit hash of a string, for cache keys and file names, not for
 * security: cyrb53 by bryc (public domain, github.com/bryc/code, jshash)
 * with both 32-bit lanes kept. Loading node:crypto for SHA-256 cost ~2.6 ms
 * of a cold start; this hashes a 3 KB handoff in ~20 µs. Two different
 * texts share a key with probability ~2^-64.
 */

/**
 * 16 lowercase hex digits of the hash of `text`'s UTF-16 code units.
 * @example hash64('/home/me/repo/docs/session_handoffs') // e.g. '3f0c9a6e1b2d4c58'
 */
export function hash64(text: string): string {
  hashLanes(text);
  return hex8(laneHi) + hex8(laneLo);
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** cyrb53's two 32-bit lanes of the last text hashed (unsigned): module state, so hashing allocates nothing. */
let laneHi = 0;
let laneLo = 0;

function hashLanes(text: string): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  laneHi = h2 >>> 0;
  laneLo = h1 >>> 0;
}

/**
 * An order-independent digest of a set of distinct strings, as text
 * `<count>:<16 hex digits>`: the count and the XOR of the members'
 * {@link hash64}. One member is added or removed with
 * {@link updateSetDigest}, so a set kept elsewhere (the index's keys) can
 * carry its digest along. Two different sets share a digest with
 * probability ~2^-64.
 * @example setDigest(['a.md', 'b.md']) === setDigest(['b.md', 'a.md']) // true
 */
export function setDigest(members: Iterable<string>): string {
  let count = 0;
  let hi = 0;
  let lo = 0;
  for (const m of members) {
    hashLanes(m);
    hi ^= laneHi;
    lo ^= laneLo;
    count++;
  }
  return `${count}:${hex8(hi)}${hex8(lo)}`;
}

/**
 * `digest` (from {@link setDigest}) with `member` added (`+1`) or removed
 * (`-1`). The caller knows whether `member` was in the set: adding a member
 * twice gives a digest no set has.
 * @throws Error when `digest` is not in `setDigest`'s form.
 */
export function updateSetDigest(digest: string, member: string, change: 1 | -1): string {
  const m = /^(\d+):([0-9a-f]{8})([0-9a-f]{8})$/.exec(digest);
  if (!m) throw new Error(`not a set digest: ${JSON.stringify(digest)}`);
  hashLanes(member);
  const count = Number(m[1]) + change;
  return `${count}:${hex8(Number.parseInt(m[2] as string, 16) ^ laneHi)}${hex8(Number.parseInt(m[3] as string, 16) ^ laneLo)}`;
}
