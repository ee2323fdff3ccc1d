import { randomInt } from 'node:crypto';
import { invalidRequest, type SystemView } from '../../framework/index.js';

const CHARSET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-';
const LENGTH = 20;

/** Vault's default password policy: 20 characters of [A-Za-z0-9-] with at least one lowercase, uppercase, digit, `-`. */
export function defaultPassword(): string {
  for (;;) {
    let out = '';
    for (let i = 0; i < LENGTH; i++) out += CHARSET[randomInt(CHARSET.length)];
    if (/[a-z]/.test(out) && /[A-Z]/.test(out) && /[0-9]/.test(out) && out.includes('-')) return out;
  }
}

/**
 * A new password from the named policy (a role's `credential_config.password_policy`, else the connection's
 * `password_policy`, else Vault's default). The server supplies `generatePassword`; only test harnesses lack it, and
 * then the default policy is generated here.
 */
export async function generatePassword(system: SystemView, policy: string): Promise<string> {
  if (system.generatePassword) return system.generatePassword(policy === '' ? undefined : policy);
  if (policy !== '') throw invalidRequest(`password policy "${policy}" is not available`);
  return defaultPassword();
}
