import type { Operation } from '../framework/types.js';
import { Cap, capabilityNames } from './capabilities.js';
import { ROOT_POLICY_NAME } from './default-policy.js';
import { parameterViolation } from './parameters.js';
import {
  classifyPattern,
  comparePrecedence,
  compileSegmentPattern,
  prefixPrecedence,
  segmentMatches,
  type Precedence,
  type SegmentPattern,
} from './pattern.js';
import { mergePermissions, permissionsOf, type Permissions } from './permissions.js';
import { hasTemplate, resolveTemplate } from './template.js';
import type { ParsedPolicy, PathRule, TemplateContext } from './types.js';

/** One request as the ACL judges it. */
export interface AccessRequest {
  operation: Operation;
  /** Full request path (`secret/data/foo`); list paths arrive with their trailing `/`. */
  path: string;
  /** Request data (body, or query of a read); parameter constraints apply to read, create, update and patch. */
  data?: Record<string, unknown>;
  /** The path is root-protected: the `sudo` capability is needed as well. */
  sudo: boolean;
  /**
   * TTL in seconds of the response wrapping the client asked for (`X-Vault-Wrap-TTL`); absent or 0 = not wrapped.
   * As in Vault, a path with `min_wrapping_ttl` or `max_wrapping_ttl` refuses unwrapped requests.
   */
  wrapTTL?: number;
}

export interface AccessResult {
  allowed: boolean;
  /** Why access was refused, for logs and audit only: the client is told `permission denied` and nothing more. */
  reason?: string;
}

/** The built-in `root` policy: grants everything, holds no paths, never stored. */
export const ROOT_POLICY: ParsedPolicy = Object.freeze({ name: ROOT_POLICY_NAME, raw: '', templated: false, paths: [] });

const OPERATION_CAPABILITY: Readonly<Record<Exclude<Operation, 'help'>, number>> = {
  read: Cap.read,
  create: Cap.create,
  update: Cap.update,
  patch: Cap.patch,
  delete: Cap.delete,
  list: Cap.list,
};

interface SegmentRule {
  pattern: SegmentPattern;
  perms: Permissions;
}

interface Candidate {
  precedence: Precedence;
  perms: Permissions;
}

const refuse = (reason: string): AccessResult => ({ allowed: false, reason });

/**
 * A compiled access-control list for a set of policies: exact, prefix (`*`) and segment (`+`) rules over a
 * capability bitmask. Blocks with an identical pattern are merged across policies; among different matching
 * patterns only the highest-priority one counts (an exact match beats every wildcard); `deny` in it beats
 * everything; no match is a refusal. Immutable once compiled, so one instance serves concurrent requests.
 */
export class ACL {
  private readonly exact = new Map<string, Permissions>();
  private readonly prefix = new Map<string, Permissions>();
  /** Distinct prefix lengths, longest first: the longest matching prefix is found with one map lookup per length. */
  private prefixLengths: number[] = [];
  private readonly segment = new Map<string, SegmentRule>();

  private constructor(
    /** Whether the token holds the `root` policy: everything is allowed, capabilities are `["root"]`. */
    readonly isRoot: boolean,
    /** Names of the policies compiled in, in the order given. */
    readonly policyNames: readonly string[],
  ) {}

  /**
   * Compiles `policies` (the `root` policy among them makes a root ACL). Templated paths are resolved against
   * `template`; a block whose template cannot be resolved, or that has no context to resolve against, is dropped.
   */
  static compile(policies: readonly ParsedPolicy[], template?: TemplateContext): ACL {
    const isRoot = policies.some((p) => p.name === ROOT_POLICY_NAME);
    const acl = new ACL(isRoot, policies.map((p) => p.name));
    if (isRoot) return acl;
    for (const policy of policies) for (const rule of policy.paths) acl.insert(rule, template);
    acl.prefixLengths = [...new Set([...acl.prefix.keys()].map((k) => k.length))].sort((a, b) => b - a);
    return acl;
  }

  /**
   * @deprecated The placeholder API the core used before policies existed: only `root` is honoured (as before).
   * Use {@link ACL.compile} with policies from the `PolicyStore`, and {@link ACL.check}.
   */
  static fromPolicies(names: readonly string[]): ACL {
    return ACL.compile(names.includes(ROOT_POLICY_NAME) ? [ROOT_POLICY] : []);
  }

  /** @deprecated Use {@link ACL.check}, which also applies parameter constraints and wrapping bounds. */
  allows(operation: Operation, path: string, sudo: boolean): boolean {
    return this.check({ operation, path, sudo }).allowed;
  }

  private insert(rule: PathRule, template: TemplateContext | undefined): void {
    let path = rule.path;
    if (hasTemplate(path)) {
      const resolved = resolveTemplate(path, template);
      if (resolved === null) return;
      path = resolved.startsWith('/') ? resolved.slice(1) : resolved;
    }
    const perms = permissionsOf(rule);
    const { kind, key } = classifyPattern(path);
    if (kind === 'segment') {
      const existing = this.segment.get(key);
      if (existing) mergePermissions(existing.perms, perms);
      else this.segment.set(key, { pattern: compileSegmentPattern(key), perms });
      return;
    }
    const map = kind === 'exact' ? this.exact : this.prefix;
    const existing = map.get(key);
    if (existing) mergePermissions(existing, perms);
    else map.set(key, perms);
  }

  /**
   * The permissions that govern `path`. An exact rule wins outright; for a list (and for `capabilities`, as in
   * Vault) an exact rule for the path without its trailing `/` comes next. Then the highest-priority wildcard rule
   * matching the path — for a list, matching it with or without the trailing `/`, all candidates ranked together
   * (see docs/policies.md on how this differs from Vault, which looks at the path without `/` first).
   */
  private lookup(rawPath: string, list: boolean): Permissions | undefined {
    const path = rawPath.replace(/^\/+/, '');
    const exact = this.exact.get(path);
    if (exact) return exact;
    const trimmed = list && path.endsWith('/') ? path.slice(0, -1) : null;
    if (trimmed !== null) {
      const exactTrimmed = this.exact.get(trimmed);
      if (exactTrimmed) return exactTrimmed;
    }
    let best: Candidate | undefined;
    for (const p of trimmed === null ? [path] : [path, trimmed]) best = this.bestWildcard(p, best);
    return best?.perms;
  }

  private bestWildcard(path: string, initial: Candidate | undefined): Candidate | undefined {
    let best = initial;
    const consider = (c: Candidate): void => {
      if (!best || comparePrecedence(c.precedence, best.precedence) > 0) best = c;
    };
    for (const length of this.prefixLengths) {
      if (length > path.length) continue;
      const key = path.slice(0, length);
      const perms = this.prefix.get(key);
      if (perms) {
        // Among prefix rules only the longest matching one can win (rule 1 of the precedence order).
        consider({ precedence: prefixPrecedence(key), perms });
        break;
      }
    }
    if (this.segment.size > 0) {
      const parts = path.split('/');
      for (const rule of this.segment.values()) {
        if (segmentMatches(rule.pattern, parts)) consider({ precedence: rule.pattern, perms: rule.perms });
      }
    }
    return best;
  }

  /** Sorted capability names on `path` (`sys/capabilities`): `["root"]` for root, `["deny"]` for nothing. */
  capabilities(path: string): string[] {
    if (this.isRoot) return ['root'];
    const perms = this.lookup(path, true);
    return perms ? capabilityNames(perms.capabilities) : ['deny'];
  }

  /** Whether the request is allowed; when not, `reason` says why (for logs, never for the client). */
  check(req: AccessRequest): AccessResult {
    if (this.isRoot) return { allowed: true };
    // Help is always allowed to a valid token, as in Vault: it reveals the API, not data.
    if (req.operation === 'help') return { allowed: true };
    const perms = this.lookup(req.path, req.operation === 'list');
    if (!perms) return refuse('no policy grants access to this path');
    const caps = perms.capabilities;
    if (caps & Cap.deny) return refuse('access to this path is denied by policy');
    if (!(caps & OPERATION_CAPABILITY[req.operation])) return refuse(`the "${req.operation}" capability is missing`);
    if (req.sudo && !(caps & Cap.sudo)) return refuse('the path is root-protected and the "sudo" capability is missing');

    const wrapTTL = req.wrapTTL !== undefined && req.wrapTTL > 0 ? req.wrapTTL : undefined;
    if (perms.maxWrappingTTL > 0 && (wrapTTL === undefined || wrapTTL > perms.maxWrappingTTL)) {
      return refuse(`responses on this path must be wrapped with a TTL of at most ${perms.maxWrappingTTL}s`);
    }
    if (perms.minWrappingTTL > 0 && (wrapTTL === undefined || wrapTTL < perms.minWrappingTTL)) {
      return refuse(`responses on this path must be wrapped with a TTL of at least ${perms.minWrappingTTL}s`);
    }
    // Merging can produce min > max (each is the lowest of its kind); no TTL satisfies both then.
    if (perms.minWrappingTTL > 0 && perms.maxWrappingTTL > 0 && perms.maxWrappingTTL < perms.minWrappingTTL) {
      return refuse('the wrapping TTL bounds of the policies on this path contradict each other');
    }

    if (req.operation === 'read' || req.operation === 'create' || req.operation === 'update' || req.operation === 'patch') {
      const violation = parameterViolation(perms, req.data ?? {});
      if (violation) return refuse(violation);
    }
    return { allowed: true };
  }

  /**
   * The wrapping TTL bounds in seconds (0 = none) of the rule governing `path` for `operation` (the core may use
   * them to explain a refusal; {@link ACL.check} already enforces them).
   */
  wrappingTTLBounds(path: string, operation: Operation = 'read'): { min: number; max: number } {
    if (this.isRoot) return { min: 0, max: 0 };
    const perms = this.lookup(path, operation === 'list');
    if (!perms || perms.capabilities & Cap.deny) return { min: 0, max: 0 };
    return { min: perms.minWrappingTTL, max: perms.maxWrappingTTL };
  }
}
