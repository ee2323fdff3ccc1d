import { randomFillSync } from 'node:crypto';

/**
 * CSPRNG bytes drawn from a pooled buffer. Every `crypto.randomBytes` call costs a few microseconds whatever its size
 * (a call into OpenSSL's DRBG, 4–9 µs on the 2-vCPU benchmark machine), and a login needed five of them (three
 * barrier nonces, the token, its accessor): filling 4 KiB at once and handing out slices makes each draw cost a
 * copy.
 *
 * The bytes are the same OpenSSL CSPRNG output `randomBytes` returns, just fetched ahead: each byte is handed out once
 * (the offset only moves forward; a refill overwrites the whole pool) and zeroed as it is handed out, so the pool
 * never holds a value someone already uses (a token), only bytes no one has drawn yet. Holding those in memory
 * exposes nothing the DRBG's own state in the same process does not (whoever reads this process's memory can read
 * that too), and Node does the same for `randomUUID` (its entropy cache). Node does not fork, and each worker thread
 * gets its own copy of this module, so no two threads or processes ever share a pool.
 */
const POOL_BYTES = 4096;
// allocUnsafeSlow: memory of its own, not a slice of Node's shared allocation slab that other Buffers live in.
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let offset = POOL_BYTES;

/** Writes `length` fresh random bytes into `target` at `at`. */
export function randomFill(target: Uint8Array, at: number, length: number): void {
  if (length > POOL_BYTES / 4) {
    randomFillSync(target, at, length); // large draws gain nothing from the pool
    return;
  }
  if (offset + length > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  pool.copy(target, at, offset, offset + length);
  pool.fill(0, offset, offset + length);
  offset += length;
}

/** `length` fresh random bytes, as `crypto.randomBytes(length)` returns. */
export function randomBytesPooled(length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  randomFill(out, 0, length);
  return out;
}
