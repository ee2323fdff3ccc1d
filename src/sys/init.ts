import type { Core } from '../core/core.js';
import { definePath, field, type PathSpec } from '../framework/index.js';
import { invalidRequest } from '../lib/errors.js';
import { plainJSON } from './respond.js';

/** sys/init: GET reports, PUT/POST initialises (§2.1). */
export function initPaths(core: Core): PathSpec[] {
  return [
    definePath({
      pattern: 'init',
      synopsis: 'Initialises a new server: creates the unseal key shares and the initial root token.',
      fields: {
        secret_shares: field.int({ description: 'Number of key shares to split the unseal key into.' }),
        secret_threshold: field.int({ description: 'Number of key shares required to unseal.' }),
        pgp_keys: field.commaStringList({ description: 'Not supported by Ward: PGP-encrypted shares.' }),
        root_token_pgp_key: field.string({ description: 'Not supported by Ward.' }),
        stored_shares: field.int({ description: 'Auto-unseal only; must be 0 with Shamir.' }),
        recovery_shares: field.int({ description: 'Auto-unseal only; ignored.' }),
        recovery_threshold: field.int({ description: 'Auto-unseal only; ignored.' }),
      },
      operations: {
        read: async () => plainJSON({ initialized: await core.initialized() }),
        update: async (_req, f) => {
          if (f.secret_shares === undefined) throw invalidRequest('secret_shares is required');
          if (f.secret_threshold === undefined) throw invalidRequest('secret_threshold is required');
          if (f.pgp_keys && f.pgp_keys.length > 0) throw invalidRequest('pgp_keys are not supported by Ward');
          if (f.root_token_pgp_key) throw invalidRequest('root_token_pgp_key is not supported by Ward');
          if (f.stored_shares) throw invalidRequest('stored_shares is only valid with an auto-unseal seal, which Ward does not have');
          const result = await core.init(f.secret_shares, f.secret_threshold);
          return plainJSON({
            keys: result.keys.map((k) => k.toString('hex')),
            keys_base64: result.keys.map((k) => k.toString('base64')),
            root_token: result.rootToken,
          });
        },
      },
    }),
  ];
}
