import type { Engine, EngineContext, EngineFactory } from '../../framework/index.js';
import { loginPath } from './path-login.js';
import { roleFieldPaths } from './path-role-fields.js';
import { roleIdPath } from './path-role-id.js';
import { roleListPath, rolePath } from './path-role.js';
import { secretIdLookupPaths } from './path-secret-id-lookup.js';
import { customSecretIdPath, secretIdPath } from './path-secret-id.js';
import { tidyPath } from './path-tidy.js';
import { renewLogin } from './renew.js';
import { ApproleState, type ApproleHooks } from './state.js';
import { SecretIdTidy } from './tidy.js';

export type { ApproleHooks } from './state.js';

const HELP = `
Any registered role can authenticate itself with Ward. The credentials depend on the constraints set on the role.
One credential is always required: the 'role_id', a unique identifier of the role, read from
'role/<role_name>/role-id'.

The default constraint, 'bind_secret_id', also requires a 'secret_id' at login, issued by
'role/<role_name>/secret-id'. Secret IDs can be limited in lifetime, number of uses and source CIDR blocks.`;

/** An AppRole mount; `tidy` is exposed so tests and shutdown can wait for a background clean-up. */
export interface ApproleEngine extends Engine {
  readonly tidy: SecretIdTidy;
}

/** Builds an AppRole mount. `hooks` are test seams (counting HMACs); the registered factory passes none. */
export function createApprole(ctx: EngineContext, hooks: ApproleHooks = {}): ApproleEngine {
  const state = new ApproleState(hooks);
  const tidy = new SecretIdTidy(state);
  return {
    help: HELP,
    tidy,
    special: { unauthenticated: ['login'] },
    paths: [
      loginPath(state),
      tidyPath(tidy),
      roleListPath,
      rolePath(state),
      ...roleFieldPaths(state),
      roleIdPath(state),
      secretIdPath(state),
      customSecretIdPath(state),
      ...secretIdLookupPaths(state),
    ],
    renewLogin,
    async init() {
      // Create the salt now rather than inside the first login, so logins never pay for a storage write.
      await state.keys.hasher(ctx.storage);
    },
    async periodic() {
      await tidy.run(ctx.storage, () => ctx.system.now());
    },
    async close() {
      await tidy.idle();
    },
  };
}

/** The `approle` auth method (Vault's AppRole): machines log in with a role ID and a secret ID. */
export const approleAuth: EngineFactory = {
  type: 'approle',
  kind: 'auth',
  create: (ctx) => createApprole(ctx),
};
