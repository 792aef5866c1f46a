/**
 * Random bytes for nonces and IVs, from the platform's CSPRNG (`crypto.getRandomValues`), drawn
 * from a pool refilled 4 KiB at a time. Providers need fresh random bytes on every request (a
 * PlacetoPay nonce, an IV per Autocore card field), and asking the CSPRNG for 16 bytes at a time
 * costs more than everything else that builds the request. Every byte is handed out once, as a
 * copy the caller owns.
 */

const POOL_BYTES = 4096
/** The most `getRandomValues` fills in one call. */
const MAX_FILL = 65_536

const pool = new Uint8Array(POOL_BYTES)
/** Bytes of `pool` before this index were handed out; the pool starts spent. */
let next = POOL_BYTES

const fill = (bytes: Uint8Array): Uint8Array => {
  for (let start = 0; start < bytes.length; start += MAX_FILL) {
    globalThis.crypto.getRandomValues(bytes.subarray(start, start + MAX_FILL))
  }
  return bytes
}

/** `length` fresh random bytes. */
export const take = (length: number): Uint8Array => {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError("length must be a whole number of bytes")
  if (length > POOL_BYTES / 4) return fill(new Uint8Array(length))
  if (next + length > POOL_BYTES) {
    fill(pool)
    next = 0
  }
  const bytes = pool.slice(next, next + length)
  // Handed out bytes leave nothing behind in the pool.
  pool.fill(0, next, next + length)
  next += length
  return bytes
}
