import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** DESIGN.md "Boundaries": engines and auth methods import only framework/ and lib/. The lint rule must catch it. */
describe('lint boundary for engines and auth methods', () => {
  const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
  const lint = async (filePath: string, code: string) => (await eslint.lintText(code, { filePath }))[0]?.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths') ?? [];

  it('refuses an engine importing the barrier, the core or storage', async () => {
    for (const target of ['../../barrier/barrier.js', '../../core/core.js', '../../storage/physical.js']) {
      const msgs = await lint('src/engines/probe/probe.ts', `import { x } from '${target}';\nexport const y = x;\n`);
      expect(msgs, target).toHaveLength(1);
    }
    expect(await lint('src/auth/probe/probe.ts', "import { Router } from '../../router/router.js';\nexport const y = Router;\n")).toHaveLength(1);
  });

  it('allows framework and lib imports', async () => {
    expect(await lint('src/engines/probe/probe.ts', "import { field } from '../../framework/index.js';\nimport { secretsEqual } from '../../lib/constant-time.js';\nexport const y = [field, secretsEqual];\n")).toHaveLength(0);
  });
});
