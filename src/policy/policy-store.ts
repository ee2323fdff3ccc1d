import { getJSON, listRecursive, putJSON, type Storage } from '../framework/storage.js';
import { invalidRequest } from '../lib/errors.js';
import { ACL, ROOT_POLICY } from './acl.js';
import { DEFAULT_POLICY, DEFAULT_POLICY_NAME, ROOT_POLICY_NAME } from './default-policy.js';
import { normalisePolicyName, parsePolicy } from './parse.js';
import type { ParsedPolicy, TemplateContext } from './types.js';

/** The stored form of a policy (`policy/acl/<name>`): the text only; it is parsed again when loaded. */
interface PolicyEntry {
  version: 2;
  raw: string;
}

const KEY_PREFIX = 'policy/acl/';
/** ACLs are immutable once compiled, and every set holding `root` compiles to the same one. */
const ROOT_ACL = ACL.compile([ROOT_POLICY]);

/** A small LRU on top of Map's insertion order. */
class LRU<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}

export interface PolicyStoreOptions {
  /** How many parsed policies and compiled ACLs to keep (each); Vault keeps 1024 policies. */
  cacheSize?: number;
}

/**
 * ACL policies in storage, under `policy/acl/<name>` of the storage it is given (the system view, in the core),
 * with a cache of parsed policies and of compiled ACLs per policy set. `root` is built in and never stored;
 * `default` is written by {@link PolicyStore.ensureDefault} and can be changed but not deleted.
 */
export class PolicyStore {
  /** Parsed policies by name; null remembers that a name does not exist, so unknown names cost no storage read. */
  private readonly policies: LRU<string, ParsedPolicy | null>;
  private readonly acls: LRU<string, ACL>;
  /** Bumped on every change, so an ACL compiled from policies read before a change is not cached after it. */
  private generation = 0;

  constructor(
    private readonly storage: Storage,
    options: PolicyStoreOptions = {},
  ) {
    this.policies = new LRU(options.cacheSize ?? 1024);
    this.acls = new LRU(options.cacheSize ?? 1024);
  }

  /** Changes with every policy change: an ACL compiled at one revision is current while the revision is. */
  get revision(): number {
    return this.generation;
  }

  /** The named policy, or null. `root` has no stored form and reads as absent, as in current Vault. */
  async get(name: string): Promise<ParsedPolicy | null> {
    const key = normalisePolicyName(name);
    if (key === '' || key === ROOT_POLICY_NAME) return null;
    const cached = this.policies.get(key);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const entry = await getJSON<PolicyEntry>(this.storage, KEY_PREFIX + key);
    const policy = entry ? await parsePolicy(key, entry.raw) : null;
    if (generation === this.generation) this.policies.set(key, policy);
    return policy;
  }

  /**
   * Creates or replaces a policy from its text (HCL or JSON, maybe base64); returns it parsed. 400 for `root`,
   * an empty name or text, and any parse error — nothing is stored then.
   */
  async set(name: string, text: string): Promise<ParsedPolicy> {
    const key = normalisePolicyName(name);
    if (key === '') throw invalidRequest('policy name must be provided in the URL');
    if (key === ROOT_POLICY_NAME) throw invalidRequest(`cannot update "${ROOT_POLICY_NAME}" policy`);
    if (text.trim() === '') throw invalidRequest("'policy' parameter not supplied or empty");
    const policy = await parsePolicy(key, text);
    await putJSON(this.storage, KEY_PREFIX + key, { version: 2, raw: policy.raw } satisfies PolicyEntry);
    this.invalidate(key);
    this.policies.set(key, policy);
    return policy;
  }

  /** Deletes a policy; absent is fine. `root` and `default` are refused with Vault's messages. */
  async delete(name: string): Promise<void> {
    const key = normalisePolicyName(name);
    if (key === ROOT_POLICY_NAME) throw invalidRequest(`cannot delete "${ROOT_POLICY_NAME}" policy`);
    if (key === DEFAULT_POLICY_NAME) throw invalidRequest('cannot delete default policy');
    if (key === '') return;
    await this.storage.delete(KEY_PREFIX + key);
    this.invalidate(key);
  }

  /** Names of all policies, stored ones sorted and then `root`, which Vault always lists last. */
  async list(): Promise<string[]> {
    const names = await listRecursive(this.storage, KEY_PREFIX);
    return [...names.filter((n) => n !== ROOT_POLICY_NAME), ROOT_POLICY_NAME];
  }

  /** Writes Vault's `default` policy unless a `default` policy exists already (it may have been edited). */
  async ensureDefault(): Promise<boolean> {
    if (await this.storage.get(KEY_PREFIX + DEFAULT_POLICY_NAME)) return false;
    await this.set(DEFAULT_POLICY_NAME, DEFAULT_POLICY);
    return true;
  }

  /**
   * Forgets cached state about `name` (or everything): called by every change here, and by the core when another
   * node changed storage underneath (HA standby invalidation).
   */
  invalidate(name?: string): void {
    this.generation++;
    if (name === undefined) this.policies.clear();
    else this.policies.delete(normalisePolicyName(name));
    // A policy can be in any number of cached sets; recompiling is cheap next to being wrong.
    this.acls.clear();
  }

  /**
   * The compiled ACL for a token's policy names (token policies plus identity policies). Unknown names are
   * skipped: Vault warns about them when the token is created, not when it is used. Cached per sorted set of
   * names; a set holding a templated policy is compiled per request when a template context is given, because
   * the entity's names and metadata can change without the policies changing.
   */
  async acl(names: readonly string[], template?: TemplateContext): Promise<ACL> {
    const unique = [...new Set(names.map(normalisePolicyName).filter((n) => n !== ''))].sort();
    if (unique.includes(ROOT_POLICY_NAME)) return ROOT_ACL;
    const cacheKey = unique.join('\n');
    const generation = this.generation;
    const cached = this.acls.get(cacheKey);
    if (cached && !(template && this.anyTemplated(unique))) return cached;

    const loaded: ParsedPolicy[] = [];
    for (const name of unique) {
      const policy = await this.get(name);
      if (policy) loaded.push(policy);
    }
    const templated = loaded.some((p) => p.templated);
    const acl = ACL.compile(loaded, template);
    // Without a context, templated blocks are simply dropped, so that ACL is as cacheable as any other.
    if (!(templated && template) && generation === this.generation) this.acls.set(cacheKey, acl);
    return acl;
  }

  /** Whether any of `names` is (or, not being cached, may be) a templated policy. */
  private anyTemplated(names: readonly string[]): boolean {
    return names.some((n) => {
      const policy = this.policies.get(n);
      return policy === undefined || (policy !== null && policy.templated);
    });
  }
}
