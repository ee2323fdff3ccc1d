import { describe, expect, it } from 'vitest';
import { equivalentPolicies, sanitizePolicies } from './policies.js';

describe('policy lists', () => {
  it('sanitises like Vault\'s ParsePolicies', () => {
    expect(sanitizePolicies([' Dev', 'ops', 'dev', '', 'A'])).toEqual(['a', 'dev', 'ops']);
    expect(sanitizePolicies(['dev', 'ROOT'])).toEqual(['root']);
    expect(sanitizePolicies([])).toEqual([]);
  });

  it('compares like Vault\'s EquivalentPolicies, ignoring default, order, case and duplicates', () => {
    expect(equivalentPolicies(['dev', 'ops'], ['default', 'ops', 'DEV', 'dev'])).toBe(true);
    expect(equivalentPolicies([], ['default'])).toBe(true);
    expect(equivalentPolicies(['dev'], ['default'])).toBe(false);
    expect(equivalentPolicies(['dev', 'ops'], ['dev'])).toBe(false);
  });
});
