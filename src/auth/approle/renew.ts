import { permissionDenied, type EngineRequest, type LoginView } from '../../framework/index.js';
import { readRole } from './store.js';

/** Policy sets compared as Vault's `policyutil.EquivalentPolicies` does: order, case and `default` do not count. */
function equivalentPolicies(a: readonly string[], b: readonly string[]): boolean {
  const norm = (list: readonly string[]) => new Set(list.map((p) => p.trim().toLowerCase()).filter((p) => p !== '' && p !== 'default'));
  const x = norm(a);
  const y = norm(b);
  return x.size === y.size && [...x].every((p) => y.has(p));
}

/**
 * Renewal of a token issued by `login`: allowed while its role exists with the same policies, with the role's
 * current TTL settings (so a changed `token_ttl` or `token_period` applies from the next renewal, as in Vault).
 */
export async function renewLogin(req: EngineRequest, login: LoginView): Promise<{ ttl: number; maxTTL: number; period: number }> {
  const name = login.internal.role_name;
  if (typeof name !== 'string' || name === '') throw permissionDenied();
  const role = await readRole(req.storage, name);
  if (role === null) throw permissionDenied();
  if (!equivalentPolicies(role.token.tokenPolicies, login.policies)) throw permissionDenied();
  return { ttl: role.token.tokenTTL, maxTTL: role.token.tokenMaxTTL, period: role.token.tokenPeriod };
}
