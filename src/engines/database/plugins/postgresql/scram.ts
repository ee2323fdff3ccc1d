import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** PostgreSQL's defaults (src/include/common/scram-common.h): 16-byte salt, 4096 iterations. */
export const SCRAM_SALT_BYTES = 16;
export const SCRAM_ITERATIONS = 4096;

/**
 * PostgreSQL normalises passwords with SASLprep before hashing. For ASCII (every password Ward generates) it is the
 * identity; for other text, NFKC with non-ASCII spaces mapped to a space and "mapped to nothing" characters removed
 * is what SASLprep does to the passwords that reach it in practice.
 */
/** RFC 3454 C.1.2 non-ASCII spaces (mapped to a space) and B.1 "commonly mapped to nothing" (removed). */
const NON_ASCII_SPACES = new Set([0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x200b, 0x202f, 0x205f, 0x3000]);
const MAPPED_TO_NOTHING = new Set([0xad, 0x34f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200c, 0x200d, 0x2060, 0xfeff, ...Array.from({ length: 16 }, (_, i) => 0xfe00 + i)]);

function saslPrep(password: string): string {
  if ([...password].every((ch) => (ch.codePointAt(0) ?? 0) < 0x80)) return password;
  let out = '';
  for (const ch of password) {
    const cp = ch.codePointAt(0) ?? 0;
    if (MAPPED_TO_NOTHING.has(cp)) continue;
    out += NON_ASCII_SPACES.has(cp) ? ' ' : ch;
  }
  return out.normalize('NFKC');
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password`, in its own format
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64). Handing this to `CREATE ROLE ... PASSWORD`
 * lets the server store it as is, so the plaintext never reaches the database, its logs or `pg_stat_statements`.
 * The salt is fresh from `randomBytes` unless given (tests).
 */
export async function scramSha256Verifier(password: string, salt: Buffer = randomBytes(SCRAM_SALT_BYTES), iterations = SCRAM_ITERATIONS): Promise<string> {
  const salted = await pbkdf2Async(Buffer.from(saslPrep(password), 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
