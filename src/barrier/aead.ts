import { createCipheriv, createDecipheriv } from 'node:crypto';
import { randomFill } from '../lib/random-pool.js';

/** Layout of every sealed value: version(1) | term(4, big-endian) | nonce(12) | ciphertext | tag(16). */
const VERSION = 1;
const HEADER = 1 + 4 + 12;
const TAG = 16;

/**
 * AES-256-GCM with the key term in the header and the storage key as additional authenticated data: a ciphertext
 * moved to another storage key, or tampered with, fails to open.
 */
export function seal(key: Buffer, term: number, aad: string, plaintext: Buffer): Buffer {
  // Nonce uniqueness, which GCM's security rests on (a repeated nonce under one key leaks the XOR of two plaintexts
  // and the authentication key): each nonce is 96 fresh bits from the CSPRNG, exactly as `randomBytes(12)` gave
  // before; the pool only fetches them ahead and never hands a byte out twice (see random-pool.ts). So a collision
  // stays as unlikely as with any random 96-bit nonce, which is how Vault's barrier makes them too: about n²/2⁹⁷ after
  // n encryptions under one key term (under 2⁻³² until 2³² encryptions, NIST SP 800-38D's bound for random
  // nonces; `sys/key-status` counts them and `sys/rotate` starts a new term). A counter would be unique only per
  // process: HA nodes and restarts share the key term, and a counter that is not persisted would repeat across them.
  const out = Buffer.allocUnsafe(HEADER + plaintext.length + TAG);
  out.writeUInt8(VERSION, 0);
  out.writeUInt32BE(term, 1);
  randomFill(out, 5, 12);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(5, HEADER));
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  // AES-GCM is a stream mode: update returns exactly as many bytes as it is given, and final none.
  // Checked all the same, failing closed: a short copy would store uninitialised memory.
  const body = cipher.update(plaintext);
  if (body.length !== plaintext.length || cipher.final().length !== 0) throw new Error('AES-GCM returned an unexpected length');
  body.copy(out, HEADER);
  cipher.getAuthTag().copy(out, HEADER + body.length);
  return out;
}

/** The key term a sealed value was written with, or undefined when the bytes are not a sealed value. */
export function termOf(sealed: Buffer): number | undefined {
  if (sealed.length < HEADER + TAG || sealed.readUInt8(0) !== VERSION) return undefined;
  return sealed.readUInt32BE(1);
}

/** Opens a sealed value; throws when the key, the AAD or the bytes are wrong. */
export function open(key: Buffer, aad: string, sealed: Buffer): Buffer {
  if (termOf(sealed) === undefined) throw new Error('not a sealed value');
  const nonce = sealed.subarray(5, HEADER);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  return Buffer.concat([decipher.update(sealed.subarray(HEADER, sealed.length - TAG)), decipher.final()]);
}
