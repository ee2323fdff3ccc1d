/**
 * One `path "<pattern>" { ... }` block after parsing and validation. Keys of the parameter maps are lowercased, as
 * Vault lowercases them; values are the lists as written (strings with optional leading/trailing `*` globs, or any
 * JSON value compared for equality).
 */
export interface PathRule {
  /** The pattern with one leading `/` stripped; a trailing `*` and `+` segments are still in it. May hold `{{...}}`. */
  path: string;
  /** Capability bitmask (`Cap`); a block with `deny` holds only `Cap.deny`. */
  capabilities: number;
  /** Absent: no constraint. Present and empty: no constraint either (Vault treats both alike). */
  allowedParameters?: Record<string, unknown[]>;
  deniedParameters?: Record<string, unknown[]>;
  requiredParameters?: string[];
  /** Seconds; 0 = no bound. */
  minWrappingTTL: number;
  maxWrappingTTL: number;
}

/** A policy as stored: its name, the text exactly as written, and its compiled path blocks. */
export interface ParsedPolicy {
  /** Lowercased name. */
  name: string;
  /** The policy text verbatim (after base64 decoding, when it was sent encoded). */
  raw: string;
  /** Whether some path holds an identity template (`{{identity.entity.id}}`), resolved per request. */
  templated: boolean;
  paths: PathRule[];
}

/** An entity alias, as identity templates see it. */
export interface TemplateAlias {
  /** Accessor of the auth mount the alias belongs to (`auth_userpass_1a2b3c4d`). */
  mountAccessor: string;
  id: string;
  name: string;
  metadata: Record<string, string>;
  customMetadata: Record<string, string>;
}

/** A group the entity belongs to (directly or through a parent group), as identity templates see it. */
export interface TemplateGroup {
  id: string;
  name: string;
  metadata: Record<string, string>;
}

/**
 * What `{{identity.*}}` templates in policy paths resolve against: the requesting token's entity and its groups.
 * Without an entity, every entity template is unresolvable, and its path block is dropped.
 */
export interface TemplateContext {
  entity?: {
    id: string;
    name: string;
    metadata: Record<string, string>;
    aliases: TemplateAlias[];
  };
  groups: TemplateGroup[];
}
