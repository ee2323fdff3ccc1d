import type { EngineFactory } from '../framework/index.js';
import { cubbyholeEngine } from './cubbyhole/index.js';
import { databaseEngine } from './database/index.js';
import { kvEngine } from './kv/index.js';
import { leaseTestEngine } from './lease-test/index.js';

/** Whether test-only engines (`lease-test`) are registered: `WARD_TEST_ENGINES=1`, read when this module loads. */
export function testEnginesEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.WARD_TEST_ENGINES === '1';
}

/**
 * The secrets engines built into Ward, registered by the core. Mount type aliases are resolved by the core before
 * `create`: `kv-v2` → `kv` with options.version "2", `generic` → `kv` with options.version "1". The test-only
 * `lease-test` engine is added only when `WARD_TEST_ENGINES=1` is set when the server module loads.
 */
export const builtinSecretEngines: EngineFactory[] = [kvEngine, cubbyholeEngine, databaseEngine, ...(testEnginesEnabled() ? [leaseTestEngine] : [])];
