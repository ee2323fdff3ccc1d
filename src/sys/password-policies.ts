import { definePath, field, getJSON, putJSON, type PathSpec, type Storage } from '../framework/index.js';
import { invalidRequest, notFound, WardError } from '../lib/errors.js';
import {
  DEFAULT_PASSWORD_POLICY,
  GENERATE_TIMEOUT_MS,
  generatePassword,
  parsePasswordPolicy,
  type PasswordPolicy,
} from '../lib/password-policy.js';

/** Storage prefix, as Vault's (`password_policy/<name>` in the system view). */
const KEY_PREFIX = 'password_policy/';
/** Vault generates this many passwords when a policy is written, to refuse impossible or too strict ones. */
const TRIAL_GENERATIONS = 10;
/** Parsed policies kept by source text. */
const CACHE_SIZE = 256;

/** The stored form (Vault's passwordPolicyConfig): the policy text, base64 already decoded. */
interface StoredPasswordPolicy {
  policy: string;
}

/**
 * Vault accepts the policy base64-encoded: text that is valid standard base64 (line breaks ignored, padding
 * required, as Go's decoder) is decoded; anything else is taken as is.
 */
function decodePolicyText(text: string): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return text;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * Password policies under `password_policy/<name>` of the storage it is given (the core gives it the `sys/` view,
 * so keys land where Vault keeps them). Parsed policies are cached by text; every read goes to storage, so a
 * change is seen at once.
 */
export class PasswordPolicyStore {
  private readonly parsed = new Map<string, Promise<PasswordPolicy>>();

  constructor(private readonly storage: Storage) {}

  /** The policy text, or null. */
  async get(name: string): Promise<string | null> {
    if (name === '') return null;
    const entry = await getJSON<StoredPasswordPolicy>(this.storage, KEY_PREFIX + name);
    return entry ? entry.policy : null;
  }

  /**
   * Validates and stores a policy (HCL or JSON, maybe base64-encoded), as Vault does: a parse error, a length
   * outside 4..100, or a policy that cannot produce 10 passwords within 1 s is a 400 and nothing is stored.
   */
  async set(name: string, text: string): Promise<void> {
    if (name === '') throw invalidRequest('missing policy name');
    if (text === '') throw invalidRequest('missing policy');
    const raw = decodePolicyText(text);
    const policy = await this.parse(raw);
    let failed = 0;
    const deadline = Date.now() + GENERATE_TIMEOUT_MS;
    for (let i = 0; i < TRIAL_GENERATIONS; i++) {
      try {
        generatePassword(policy, { timeoutMs: Math.max(deadline - Date.now(), 0) });
      } catch {
        failed++;
      }
    }
    if (failed === TRIAL_GENERATIONS) throw invalidRequest('unable to generate password from provided policy in 1s: are the rules impossible?');
    if (failed > 0) throw invalidRequest(`failed to generate passwords ${failed} times out of ${TRIAL_GENERATIONS} attempts in 1s - is the policy too restrictive?`);
    await putJSON(this.storage, KEY_PREFIX + name, { policy: raw } satisfies StoredPasswordPolicy);
  }

  /** Removes a policy; absent is fine. Engines that name it fail on their next generation, as in Vault. */
  async delete(name: string): Promise<void> {
    if (name === '') throw invalidRequest('missing policy name');
    await this.storage.delete(KEY_PREFIX + name);
  }

  /** Policy names (one level; a name with `/` lists as its first segment and `/`). */
  async list(): Promise<string[]> {
    return this.storage.list(KEY_PREFIX);
  }

  /**
   * A password from the named policy, or from Vault's default policy when `name` is empty or absent. An unknown
   * name is a 400 with Vault's message (`no password policy found`).
   */
  async generate(name?: string): Promise<string> {
    if (name === undefined || name === '') return generatePassword(DEFAULT_PASSWORD_POLICY);
    const raw = await this.get(name);
    if (raw === null) throw invalidRequest('no password policy found');
    let policy: PasswordPolicy;
    try {
      policy = await this.parse(raw);
    } catch (err) {
      throw new WardError('internal', `stored password policy is invalid: ${err instanceof Error ? err.message : String(err)}`);
    }
    return generatePassword(policy);
  }

  private parse(raw: string): Promise<PasswordPolicy> {
    let pending = this.parsed.get(raw);
    if (!pending) {
      pending = parsePasswordPolicy(raw);
      if (this.parsed.size >= CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(raw, pending);
      // A failed parse is not kept: the next write of the same text reports the error again, freshly.
      pending.catch(() => this.parsed.delete(raw));
    }
    return pending;
  }
}

const nameField = field.string({ description: 'The name of the password policy.' });

/**
 * `sys/policies/password` (LIST), `sys/policies/password/:name` (POST `policy` → 204, GET → `{policy}`, DELETE) and
 * `sys/policies/password/:name/generate` (GET → `{password}`), as Vault's (vault/logical_system.go).
 */
export function passwordPolicyPaths(store: PasswordPolicyStore): PathSpec[] {
  const requireName = (name: string | undefined): string => {
    if (!name) throw invalidRequest('missing policy name');
    return name;
  };
  return [
    definePath({
      pattern: 'policies/password/?',
      synopsis: 'Lists the password policies.',
      fields: {},
      operations: { list: async () => ({ data: { keys: await store.list() } }) },
    }),
    definePath({
      pattern: 'policies/password/(?<name>.+)/generate',
      synopsis: 'Generates a password from an existing password policy.',
      fields: { name: nameField },
      operations: {
        read: async (_req, f) => {
          const name = requireName(f.name);
          if ((await store.get(name)) === null) throw notFound('policy does not exist');
          // A stored policy that no longer yields a password is the server's problem (500), as in Vault.
          return { data: { password: await store.generate(name) } };
        },
      },
    }),
    definePath({
      pattern: 'policies/password/(?<name>.+)',
      synopsis: 'Reads, writes or deletes a password policy.',
      help: 'A password policy is a `length` and `rule "charset"` blocks with `charset` and `min-chars`, in HCL or JSON, optionally base64-encoded. See docs/password-policies.md.',
      fields: {
        name: nameField,
        policy: field.string({ description: 'The password policy document (HCL or JSON, optionally base64-encoded).' }),
      },
      operations: {
        read: async (_req, f) => {
          const policy = await store.get(requireName(f.name));
          if (policy === null) throw notFound('policy does not exist');
          return { data: { policy } };
        },
        update: async (_req, f) => {
          await store.set(requireName(f.name), f.policy ?? '');
          return null;
        },
        delete: async (_req, f) => {
          await store.delete(requireName(f.name));
          return null;
        },
      },
    }),
  ];
}
