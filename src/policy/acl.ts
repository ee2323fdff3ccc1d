import type { Operation } from '../framework/types.js';

/**
 * A compiled access-control list for a set of policies. Only the built-in `root` policy exists so far; the policy
 * language (paths, capabilities, precedence) plugs in here.
 */
export class ACL {
  private constructor(private readonly root: boolean) {}

  static fromPolicies(policies: readonly string[]): ACL {
    return new ACL(policies.includes('root'));
  }

  get isRoot(): boolean {
    return this.root;
  }

  /** Whether `operation` on `path` is allowed; `sudo` demands the sudo capability as well. */
  allows(_operation: Operation, _path: string, _sudo: boolean): boolean {
    return this.root;
  }
}
