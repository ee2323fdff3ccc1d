/** The policy language, compiled ACLs and the policy store. */
export { ACL, ROOT_POLICY, type AccessRequest, type AccessResult } from './acl.js';
export { Cap, capabilityNames, type CapabilityName } from './capabilities.js';
export { DEFAULT_POLICY, DEFAULT_POLICY_NAME, ROOT_POLICY_NAME } from './default-policy.js';
export { decodePolicyText, normalisePolicyName, parsePolicy } from './parse.js';
export { PolicyStore, type PolicyStoreOptions } from './policy-store.js';
export type { ParsedPolicy, PathRule, TemplateAlias, TemplateContext, TemplateGroup } from './types.js';
