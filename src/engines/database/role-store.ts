import { getJSON, invalidRequest, putJSON, type Storage } from '../../framework/index.js';

/** What a role's credentials are. Ward's built-in plugins issue passwords. */
export type CredentialType = 'password' | 'rsa_private_key' | 'client_certificate';

export const CREDENTIAL_TYPES: readonly CredentialType[] = ['password', 'rsa_private_key', 'client_certificate'];

/** Parses `credential_type` as Vault does (400 `invalid credential_type "x"`). */
export function parseCredentialType(value: string): CredentialType {
  if ((CREDENTIAL_TYPES as readonly string[]).includes(value)) return value as CredentialType;
  throw invalidRequest(`invalid credential_type "${value}"`);
}

/** A dynamic role (`roles/:name`): each `creds/:name` creates a new user with these statements. */
export interface DynamicRole {
  dbName: string;
  creationStatements: string[];
  revocationStatements: string[];
  rollbackStatements: string[];
  renewStatements: string[];
  /** Seconds; 0 = the mount's default. */
  defaultTTL: number;
  /** Seconds; 0 = the mount's maximum. */
  maxTTL: number;
  credentialType: CredentialType;
  /** `password_policy` for passwords. */
  credentialConfig: Record<string, string>;
}

/** A static role (`static-roles/:name`): one existing user whose password Ward rotates. */
export interface StaticRole {
  dbName: string;
  username: string;
  /** Seconds between rotations; 0 when a schedule is used. */
  rotationPeriod: number;
  /** Cron expression (5 fields, UTC); "" when a period is used. */
  rotationSchedule: string;
  /** Seconds after each scheduled time during which the rotation may happen; 0 = until the next one. */
  rotationWindow: number;
  rotationStatements: string[];
  credentialType: CredentialType;
  credentialConfig: Record<string, string>;
  /** The current password (encrypted at rest by the barrier). */
  password: string;
  /** Milliseconds since the epoch; 0 = never rotated. */
  lastVaultRotation: number;
  /** When the next rotation is due, ms since the epoch. */
  nextVaultRotation: number;
}

const roleKey = (name: string): string => `role/${name}`;
const staticKey = (name: string): string => `static-role/${name}`;

export const readRole = (s: Storage, name: string): Promise<DynamicRole | null> => getJSON<DynamicRole>(s, roleKey(name));
export const writeRole = (s: Storage, name: string, role: DynamicRole): Promise<void> => putJSON(s, roleKey(name), role);
export const deleteRole = (s: Storage, name: string): Promise<void> => s.delete(roleKey(name));
export const listRoles = (s: Storage): Promise<string[]> => s.list('role/');

export const readStaticRole = (s: Storage, name: string): Promise<StaticRole | null> => getJSON<StaticRole>(s, staticKey(name));
export const writeStaticRole = (s: Storage, name: string, role: StaticRole): Promise<void> => putJSON(s, staticKey(name), role);
export const deleteStaticRole = (s: Storage, name: string): Promise<void> => s.delete(staticKey(name));
export const listStaticRoles = (s: Storage): Promise<string[]> => s.list('static-role/');

/** The password policy a role's credentials use: the role's own, else the connection's. */
export function passwordPolicyOf(role: { credentialConfig: Record<string, string> }, connectionPolicy: string): string {
  return role.credentialConfig.password_policy || connectionPolicy;
}
