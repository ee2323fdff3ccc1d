import type { FieldMap, FieldValues } from './fields.js';
import type { EngineRequest, Operation, OperationHandler } from './types.js';

export type PathOperations<S extends FieldMap> = Partial<Record<Exclude<Operation, 'help'>, OperationHandler<FieldValues<S>>>>;

export interface PathDefinition<S extends FieldMap> {
  /**
   * Regular expression over the path relative to the mount, without anchors; named groups become fields
   * (`data/(?<path>.+)`).
   */
  pattern: string;
  fields: S;
  operations: PathOperations<S>;
  /**
   * Whether the target of a write already exists: when it does not, a write is a `create` (checked against the
   * `create` capability), else an `update`. Paths without it treat every write as `update`, as Vault does.
   */
  existenceCheck?: (req: EngineRequest, fields: FieldValues<S>) => Promise<boolean>;
  /** One line. */
  synopsis: string;
  /** Markdown. */
  help?: string;
}

/** A declared path; `regex` is the anchored pattern. */
export interface PathSpec<S extends FieldMap = FieldMap> extends PathDefinition<S> {
  readonly regex: RegExp;
  /** Names of the pattern's named groups, read once here so that matching need not enumerate `groups`. */
  readonly groupNames?: readonly string[];
}

/** The named groups of a pattern (`(?<name>…)`), in order. */
function namedGroups(pattern: string): string[] {
  return [...pattern.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1] as string);
}

export function definePath<S extends FieldMap>(def: PathDefinition<S>): PathSpec<FieldMap> {
  return { ...def, regex: new RegExp(`^${def.pattern}$`), groupNames: namedGroups(def.pattern) } as unknown as PathSpec<FieldMap>;
}

export interface PathMatch {
  spec: PathSpec;
  captures: Record<string, string>;
}

/** The first declared path that matches `relPath` (declaration order decides, as in Vault). */
export function matchPath(paths: readonly PathSpec[], relPath: string): PathMatch | null {
  for (const spec of paths) {
    const m = spec.regex.exec(relPath);
    if (m) {
      const captures: Record<string, string> = {};
      const groups = m.groups;
      if (groups) {
        for (const k of spec.groupNames ?? Object.keys(groups)) {
          const v = groups[k];
          if (v !== undefined) captures[k] = v;
        }
      }
      return { spec, captures };
    }
  }
  return null;
}

/** Vault's `framework.MatchAllRegex`-style helpers for patterns. */
export const pattern = {
  /** One path segment. */
  segment: (name: string): string => `(?<${name}>[^/]+)`,
  /** Anything, including `/`, at least one character. */
  rest: (name: string): string => `(?<${name}>.+)`,
  /** Anything, possibly empty (list paths). */
  optionalRest: (name: string): string => `(?<${name}>.*)`,
  /** Vault's GenericNameRegex. */
  name: (name: string): string => `(?<${name}>\\w(?:[\\w.@-]*\\w)?)`,
};
