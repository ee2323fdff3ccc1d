import { invalidRequest, type EngineFactory } from '../../framework/index.js';
import { createKvV1 } from './v1.js';
import { createKvV2 } from './v2.js';

/**
 * The `kv` secrets engine. `options.version` picks the flavour: absent, "" or "1" = KV v1 (also what `generic`
 * mounts get), "2" = KV v2 (what `kv-v2` mounts get).
 */
export const kvEngine: EngineFactory = {
  type: 'kv',
  kind: 'secret',
  create(ctx) {
    const version = ctx.mount.options.version ?? '';
    if (version === '' || version === '1') return createKvV1();
    if (version === '2') return createKvV2();
    throw invalidRequest(`unsupported kv version ${JSON.stringify(version)}: use "1" or "2"`);
  },
};

export { createKvV1 } from './v1.js';
export { createKvV2 } from './v2.js';
