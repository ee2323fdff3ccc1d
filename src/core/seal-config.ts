import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Stored in plain at `seal/config`: how many shares exist and how many unseal. `shareDigests` lets a single wrong
 * share be refused at once (salted SHA-256 of each share; a 256-bit share cannot be guessed from its digest),
 * where Vault only notices once the threshold is reached.
 */
export interface SealConfig {
  type: 'shamir';
  secretShares: number;
  secretThreshold: number;
  salt: string;
  shareDigests: string[];
}

export function shareDigest(salt: string, share: Buffer): string {
  return createHash('sha256').update(Buffer.from(salt, 'hex')).update(share).digest('hex');
}

export function newSealConfig(shares: Buffer[], threshold: number): SealConfig {
  const salt = randomBytes(16).toString('hex');
  return { type: 'shamir', secretShares: shares.length, secretThreshold: threshold, salt, shareDigests: shares.map((s) => shareDigest(salt, s)) };
}

/** Index of the share among those issued at init, or -1. Constant-time per comparison. */
export function shareIndex(config: SealConfig, share: Buffer): number {
  const digest = Buffer.from(shareDigest(config.salt, share), 'hex');
  let found = -1;
  config.shareDigests.forEach((d, i) => {
    if (timingSafeEqual(Buffer.from(d, 'hex'), digest)) found = i;
  });
  return found;
}
