import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Layout of every sealed value: version(1) | term(4, big-endian) | nonce(12) | ciphertext | tag(16). */
const VERSION = 1;
const HEADER = 1 + 4 + 12;
const TAG = 16;

/**
 * AES-256-GCM with the key term in the header and the storage key as additional authenticated data: a ciphertext
 * moved to another storage key, or tampered with, fails to open.
 */
export function seal(key: Buffer, term: number, aad: string, plaintext: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const header = Buffer.alloc(HEADER);
  header.writeUInt8(VERSION, 0);
  header.writeUInt32BE(term, 1);
  nonce.copy(header, 5);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
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
