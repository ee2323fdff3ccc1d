import { invalidRequest } from '../../framework/index.js';

/** Every bcrypt hash is 60 characters: `$2b$` + two-digit cost + `$` + 53 characters of salt and digest. */
const BCRYPT_HASH_LENGTH = 60;
const BCRYPT_FORMAT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/**
 * Highest accepted cost. A bcrypt check runs on every login attempt, including unauthenticated ones: a hash with
 * cost 31 would take days per attempt, so one imported hash could pin the server. Cost 16 is already ~64× Vault's
 * default of 10.
 */
export const MAX_BCRYPT_COST = 16;
const MIN_BCRYPT_COST = 4;

/** Whether `value` is a well-formed bcrypt hash this server accepts. */
export function isBcryptHash(value: string): boolean {
  const m = BCRYPT_FORMAT.exec(value);
  if (!m) return false;
  const cost = Number(m[1]);
  return cost >= MIN_BCRYPT_COST && cost <= MAX_BCRYPT_COST;
}

/**
 * Checks a `password_hash` to import. The first two messages are Vault's (its `parsePasswordHash`: length, then
 * the `$2a$`/`$2b$`/`$2y$` prefix); Ward also checks the cost and the alphabet, because a hash that can never
 * verify, or takes hours to, is better refused at write time than discovered at login.
 */
export function parseBcryptHash(value: string): string {
  if (value.length !== BCRYPT_HASH_LENGTH) throw invalidRequest('password hash has incorrect length');
  if (!/^\$2[aby]\$/.test(value)) throw invalidRequest('password hash has incorrect prefix');
  const m = BCRYPT_FORMAT.exec(value);
  if (!m) throw invalidRequest('password hash is not a valid bcrypt hash');
  const cost = Number(m[1]);
  if (cost < MIN_BCRYPT_COST || cost > MAX_BCRYPT_COST) {
    throw invalidRequest(`password hash cost must be between ${MIN_BCRYPT_COST} and ${MAX_BCRYPT_COST}`);
  }
  return value;
}
