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
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
