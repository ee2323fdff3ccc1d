/**
 * Import this FIRST (before anything that loads src/server or src/engines): it turns on the test-only engines
 * (`lease-test`), which `src/engines/builtin.ts` registers only when WARD_TEST_ENGINES=1 at module load.
 */
process.env.WARD_TEST_ENGINES = '1';
export {};
