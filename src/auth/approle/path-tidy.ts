import { definePath, type PathSpec } from '../../framework/index.js';
import type { SecretIdTidy } from './tidy.js';

/** `tidy/secret-id`: starts a clean-up of expired secret IDs in the background (202), as Vault does. */
export function tidyPath(tidy: SecretIdTidy): PathSpec {
  return definePath({
    pattern: 'tidy/secret-id',
    fields: {},
    synopsis: 'Trigger the clean-up of expired SecretID entries.',
    help:
      'Expired secret IDs are also removed by a periodic pass about once a minute (and refused at login as soon as ' +
      'they expire); this endpoint starts a pass now.',
    operations: {
      update: async (req) => {
        if (!tidy.start(req.storage, () => req.system.now(), req.logger)) {
          return { warnings: ['Tidy operation already in progress.'] };
        }
        return {
          httpStatus: 202,
          warnings: ["Tidy operation successfully started. Any information from the operation will be printed to Ward's server logs."],
        };
      },
    },
  });
}
