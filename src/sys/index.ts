import type { Core } from '../core/core.js';
import type { Engine } from '../framework/engine.js';
import { healthPaths } from './health.js';
import { initPaths } from './init.js';
import { internalUiPaths } from './internal-ui.js';
import { keyringPaths } from './keyring.js';
import { mountTablePaths, remountPaths } from './mounts.js';
import { sealPaths } from './seal.js';
import { policyPaths } from './policies.js';
import { capabilityPaths } from './capabilities.js';
import { leasePaths } from './leases.js';
import { wrappingPaths } from './wrapping.js';
import { passwordPolicyPaths } from './password-policies.js';
import { auditPaths } from './audit.js';
import { metricsUnauthenticatedPaths, sysMetricsPaths } from './metrics.js';
import { permissionDenied } from '../lib/errors.js';

/** The built-in `sys/` backend: one file per endpoint family, all declared with the framework. */
export function createSystemBackend(core: Core): Engine {
  return {
    help: 'The system backend is built into Ward and cannot be remounted or unmounted. It contains the paths that configure Ward itself: seal, mounts, keys, and more.',
    paths: [
      ...initPaths(core),
      ...sealPaths(core),
      ...healthPaths(core),
      ...mountTablePaths(core, 'mounts'),
      ...mountTablePaths(core, 'auth'),
      ...remountPaths(core),
      ...internalUiPaths(core),
      ...keyringPaths(core),
      ...policyPaths(core.policies),
      ...capabilityPaths({
        aclForToken: async (token) => {
          const entry = await core.tokens.resolve(token);
          return entry ? core.aclFor(entry) : null;
        },
        aclForAccessor: async (accessor) => {
          const entry = await core.tokenStore.byAccessor(accessor);
          return entry ? core.aclFor(entry) : null;
        },
        aclForCaller: async (req) => {
          const entry = req.auth ? await core.tokenStore.byHandle(req.auth.tokenHandle) : null;
          if (!entry) throw permissionDenied();
          return core.aclFor(entry);
        },
      }),
      ...leasePaths(core),
      ...wrappingPaths(core),
      ...passwordPolicyPaths(core.passwordPolicies),
      ...auditPaths(core.audit),
      ...sysMetricsPaths(core.telemetry),
    ],
    special: {
      unauthenticated: ['init', 'seal-status', 'unseal', 'health', 'leader', 'generate-root/*', 'rekey/*', 'internal/ui/mounts', 'wrapping/lookup', 'wrapping/unwrap', 'wrapping/rewrap', ...metricsUnauthenticatedPaths(core.telemetryConfig)],
      sudo: ['seal', 'step-down', 'rotate', 'remount', 'auth/*', 'audit', 'audit/*', 'raw/*', 'config/*', 'leases/lookup/*', 'leases/revoke-prefix/*', 'leases/revoke-force/*', 'revoke-prefix/*', 'revoke-force/*', 'plugins/catalog/*'],
    },
  };
}
