import {
  authFromSettings,
  definePath,
  field,
  invalidRequest,
  permissionDenied,
  type EngineRequest,
  type LoginView,
  type PathSpec,
} from '../../framework/index.js';
import type { UserpassBackend } from './backend.js';
import { remoteAddressAllowed } from './cidr.js';
import { equivalentPolicies } from './policies.js';
import { readUser, writeUser } from './store.js';
import { normaliseUsername, USERNAME_PATTERN } from './username.js';

/** One message, one status for an unknown user and a wrong password, so neither reveals which it was. */
export const BAD_CREDENTIALS = 'invalid username or password';

/** `login/:username` (unauthenticated): checks the password and asks the core for an orphan token. */
export function pathLogin(backend: UserpassBackend): PathSpec {
  return definePath({
    pattern: `login/${USERNAME_PATTERN}`,
    fields: {
      username: field.string({ description: 'Username of the user.', required: true }),
      password: field.string({ description: 'Password for this user.', sensitive: true }),
    },
    operations: {
      update: async (req, f) => {
        // Vault answers this with a bare error (500); an empty password is bad input, so Ward says 400.
        if (f.password === undefined || f.password === '') throw invalidRequest('missing password');
        const name = normaliseUsername(f.username);
        const user = await readUser(req.storage, name);
        if (user === null) {
          // The same Argon2 work as a wrong password, so the response time does not tell whether the user exists.
          await backend.passwords.verifyDummy(f.password);
          throw invalidRequest(BAD_CREDENTIALS);
        }
        if (!(await backend.passwords.verify(user.passwordHash, f.password))) throw invalidRequest(BAD_CREDENTIALS);
        // After the password, as in Vault: checked first, a 403 would tell anyone without the password that the
        // user exists and is bound; checked here, only someone who knows the password learns about the binding.
        if (!remoteAddressAllowed(req.remoteAddress, user.token.tokenBoundCidrs)) throw permissionDenied();
        if (backend.passwords.needsRehash(user.passwordHash)) await rehash(backend, req, name, user.passwordHash, f.password);
        return {
          auth: authFromSettings(user.token, {
            displayName: name,
            metadata: { username: name },
            aliasName: name,
            internal: { policies: user.token.tokenPolicies },
          }),
        };
      },
    },
    synopsis: 'Log in with a username and password.',
    help: 'This endpoint authenticates using a username and password. The token carries `metadata.username`.',
  });
}

/**
 * Replaces an imported bcrypt hash (or an Argon2 hash with old parameters) by one made with the current parameters,
 * now that the password is known. Only if the record still holds the hash that was just verified: an administrator
 * may have changed the password meanwhile. A failure here must not fail the login.
 */
async function rehash(backend: UserpassBackend, req: EngineRequest, name: string, verified: string, password: string): Promise<void> {
  try {
    const fresh = await backend.passwords.hash(password);
    await backend.lock.run(name, async () => {
      const current = await readUser(req.storage, name);
      if (current?.passwordHash === verified) await writeUser(req.storage, name, { ...current, passwordHash: fresh });
    });
  } catch (err) {
    req.logger.warn({ username: name, err: err instanceof Error ? err.message : String(err) }, 'could not upgrade the password hash');
  }
}

/**
 * Vault's `pathLoginRenew`: a token from this method renews only while its user exists and still has the policies
 * the token was issued with; the user's current TTL settings then apply.
 */
export async function renewUserLogin(req: EngineRequest, login: LoginView): Promise<{ ttl: number; maxTTL: number; period: number }> {
  const username = login.metadata.username;
  if (username === undefined || username === '') throw permissionDenied();
  const user = await readUser(req.storage, normaliseUsername(username));
  if (user === null) throw permissionDenied();
  const issued = login.internal.policies;
  const issuedPolicies = Array.isArray(issued) && issued.every((p) => typeof p === 'string') ? (issued as string[]) : login.policies;
  if (!equivalentPolicies(user.token.tokenPolicies, issuedPolicies)) throw permissionDenied('policies have changed, not renewing');
  return { ttl: user.token.tokenTTL, maxTTL: user.token.tokenMaxTTL, period: user.token.tokenPeriod };
}
