import { ACL } from './acl.js';
import { parsePolicy } from './parse.js';
import type { TemplateContext } from './types.js';

/**
 * Test support (a `.suite.ts`, excluded from the build like the other suites): policies written as
 * `{ "<pattern>": ["read", ...] }` maps, turned into HCL and parsed for real, so tests exercise the whole chain.
 */
export type PolicyMap = Record<string, string[]>;

/** HCL text for a policy map. */
export function hcl(policy: PolicyMap): string {
  return Object.entries(policy)
    .map(([path, caps]) => `path ${JSON.stringify(path)} {\n  capabilities = ${JSON.stringify(caps)}\n}\n`)
    .join('\n');
}

/** Compiles policies given as maps or HCL texts, each its own named policy (`p0`, `p1`...). */
export async function compile(policies: Array<PolicyMap | string>, template?: TemplateContext): Promise<ACL> {
  const parsed = await Promise.all(policies.map((p, i) => parsePolicy(`p${i}`, typeof p === 'string' ? p : hcl(p))));
  return ACL.compile(parsed, template);
}
