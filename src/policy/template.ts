import type { TemplateAlias, TemplateContext, TemplateGroup } from './types.js';

/**
 * Identity templates in policy paths (`{{identity.entity.id}}`), resolved the way Vault's `sdk/helper/identitytpl`
 * does in ACL mode: whitespace inside the braces is ignored, an empty id or name counts as "not found", a metadata
 * key must exist (its value may be empty), and a result containing `*` or `+` is refused so that entity data can
 * never widen a path into a wildcard.
 */

/** Whether `text` contains a template directive. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** Vault's only parse-time check: every `{{` is closed by exactly one `}}`. Returns the problem, or null. */
export function templateSyntaxError(text: string): string | null {
  const pieces = text.split('{{');
  if ((pieces[0] ?? '').includes('}}')) return 'unbalanced templating characters';
  for (const piece of pieces.slice(1)) {
    if (piece.split('}}').length !== 2) return 'unbalanced templating characters';
  }
  return null;
}

/**
 * Substitutes every directive of `text`. Returns null when one of them cannot be resolved for this context (no
 * entity, unknown alias or group, missing metadata key, unsupported directive) or resolves to a wildcard: the
 * caller then drops the path block, as Vault does.
 */
export function resolveTemplate(text: string, ctx: TemplateContext | undefined): string | null {
  if (templateSyntaxError(text) !== null) return null;
  const pieces = text.split('{{');
  let out = pieces[0] ?? '';
  for (const piece of pieces.slice(1)) {
    const [directive = '', rest = ''] = piece.split('}}');
    const value = ctx ? resolveDirective(directive.trim(), ctx) : null;
    if (value === null || /[*+]/.test(value)) return null;
    out += value + rest;
  }
  return out;
}

function nonEmpty(value: string): string | null {
  return value === '' ? null : value;
}

function fromMap(map: Record<string, string>, key: string): string | null {
  return Object.prototype.hasOwnProperty.call(map, key) ? (map[key] as string) : null;
}

/** Splits at the first dot: `a.b.c` → [`a`, `b.c`]; null without a dot. */
function splitOnce(text: string): [string, string] | null {
  const dot = text.indexOf('.');
  return dot < 0 ? null : [text.slice(0, dot), text.slice(dot + 1)];
}

function resolveDirective(directive: string, ctx: TemplateContext): string | null {
  if (directive.startsWith('identity.entity.')) {
    return ctx.entity ? resolveEntity(directive.slice('identity.entity.'.length), ctx.entity) : null;
  }
  if (directive.startsWith('identity.groups.')) {
    return ctx.groups.length > 0 ? resolveGroups(directive.slice('identity.groups.'.length), ctx.groups) : null;
  }
  // `time.now` exists in Vault but makes a path that changes every second; Ward does not offer it in policies.
  return null;
}

function resolveEntity(selector: string, entity: NonNullable<TemplateContext['entity']>): string | null {
  if (selector === 'id') return nonEmpty(entity.id);
  if (selector === 'name') return nonEmpty(entity.name);
  if (selector.startsWith('metadata.')) return fromMap(entity.metadata, selector.slice('metadata.'.length));
  if (selector.startsWith('aliases.')) {
    const parts = splitOnce(selector.slice('aliases.'.length));
    if (!parts) return null;
    const alias = entity.aliases.find((a) => a.mountAccessor === parts[0]);
    return alias ? resolveAlias(parts[1], alias) : null;
  }
  return null;
}

function resolveAlias(selector: string, alias: TemplateAlias): string | null {
  if (selector === 'id') return nonEmpty(alias.id);
  if (selector === 'name') return nonEmpty(alias.name);
  if (selector.startsWith('metadata.')) return fromMap(alias.metadata, selector.slice('metadata.'.length));
  if (selector.startsWith('custom_metadata.')) return fromMap(alias.customMetadata, selector.slice('custom_metadata.'.length));
  return null;
}

function resolveGroups(selector: string, groups: TemplateGroup[]): string | null {
  const bySelector = splitOnce(selector);
  if (!bySelector || (bySelector[0] !== 'ids' && bySelector[0] !== 'names')) return null;
  const byKey = splitOnce(bySelector[1]);
  if (!byKey) return null;
  const [key, field] = byKey;
  const group = groups.find((g) => (bySelector[0] === 'ids' ? g.id : g.name) === key);
  if (!group) return null;
  if (field === 'id') return group.id;
  if (field === 'name') return nonEmpty(group.name);
  if (field.startsWith('metadata.')) return fromMap(group.metadata, field.slice('metadata.'.length));
  return null;
}
