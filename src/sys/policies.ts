import { definePath, field, type EngineResponse, type PathSpec } from '../framework/index.js';
import type { PolicyStore } from '../policy/policy-store.js';

/** Vault's warning when a policy is written with the pre-0.9 `rules` key instead of `policy`. */
export const RULES_DEPRECATED_WARNING = "'rules' is deprecated, please use 'policy' instead";

const nameField = field.string({ description: 'The name of the policy (case-insensitive; stored lowercased).' });
const policyField = field.string({ description: 'The policy document, in HCL or JSON, optionally base64-encoded.' });

/**
 * `sys/policy` (the older API, still what node-vault and the Go client's `Sys().ListPolicies` use) and
 * `sys/policies/acl`. They share one store; they differ only in names: the older one lists under both `keys` and
 * `policies`, reads back the text as `rules`, and accepts `rules` on write with a deprecation warning.
 */
export function policyPaths(store: PolicyStore): PathSpec[] {
  const listBoth = async (): Promise<EngineResponse> => {
    const keys = await store.list();
    return { data: { keys, policies: keys } };
  };
  const exists = async (name: string | undefined): Promise<boolean> => name !== undefined && (await store.get(name)) !== null;

  return [
    definePath({
      pattern: 'policy/?',
      synopsis: 'Lists the ACL policies, `root` included.',
      fields: {},
      operations: { read: listBoth, list: listBoth },
    }),
    definePath({
      pattern: 'policy/(?<name>.+)',
      synopsis: 'Reads, writes or deletes an ACL policy (legacy API: the text is read back as `rules`).',
      fields: { name: nameField, policy: policyField, rules: field.string({ description: 'Deprecated alias of `policy`.' }) },
      existenceCheck: async (_req, f) => exists(f.name),
      operations: {
        read: async (_req, f) => {
          const policy = await store.get(f.name ?? '');
          return policy ? { data: { name: policy.name, rules: policy.raw } } : null;
        },
        update: async (_req, f) => {
          // Vault takes `rules` only when `policy` is empty, and then says so.
          const usesRules = !f.policy && f.rules !== undefined;
          await store.set(f.name ?? '', (usesRules ? f.rules : f.policy) ?? '');
          return usesRules ? { warnings: [RULES_DEPRECATED_WARNING] } : null;
        },
        delete: async (_req, f) => {
          await store.delete(f.name ?? '');
          return null;
        },
      },
    }),
    definePath({
      pattern: 'policies/acl/?',
      synopsis: 'Lists the ACL policies, `root` included.',
      fields: {},
      operations: { list: async () => ({ data: { keys: await store.list() } }) },
    }),
    definePath({
      pattern: 'policies/acl/(?<name>.+)',
      synopsis: 'Reads, writes or deletes an ACL policy.',
      fields: { name: nameField, policy: policyField },
      existenceCheck: async (_req, f) => exists(f.name),
      operations: {
        read: async (_req, f) => {
          const policy = await store.get(f.name ?? '');
          return policy ? { data: { name: policy.name, policy: policy.raw } } : null;
        },
        update: async (_req, f) => {
          await store.set(f.name ?? '', f.policy ?? '');
          return null;
        },
        delete: async (_req, f) => {
          await store.delete(f.name ?? '');
          return null;
        },
      },
    }),
  ];
}
