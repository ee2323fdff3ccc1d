import type { EngineFactory } from '../framework/index.js';
import { cubbyholeEngine } from './cubbyhole/index.js';
import { kvEngine } from './kv/index.js';

/**
 * The secrets engines built into Ward, registered by the core. Mount type aliases are resolved by the core before
 * `create`: `kv-v2` → `kv` with options.version "2", `generic` → `kv` with options.version "1".
 */
export const builtinSecretEngines: EngineFactory[] = [kvEngine, cubbyholeEngine];
