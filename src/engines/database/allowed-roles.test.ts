import { describe, expect, it } from 'vitest';
import { isRoleAllowed } from './allowed-roles.js';

describe('isRoleAllowed', () => {
  it('follows Vault: empty allows none, * all, exact names and globs', () => {
    expect(isRoleAllowed([], 'app')).toBe(false);
    expect(isRoleAllowed(['*'], 'anything')).toBe(true);
    expect(isRoleAllowed(['app', 'web'], 'web')).toBe(true);
    expect(isRoleAllowed(['app-*'], 'app-read')).toBe(true);
    expect(isRoleAllowed(['app-*'], 'xapp-read')).toBe(false);
    expect(isRoleAllowed(['*-ro'], 'db-ro')).toBe(true);
    expect(isRoleAllowed(['a*c*e'], 'abcde')).toBe(true);
    expect(isRoleAllowed(['a.c'], 'abc')).toBe(false);
  });
});
