import { invalidRequest } from '../../../../lib/errors.js';

/** Vault's Redis plugin default when a role gives no creation statements: read any key. */
export const REDIS_DEFAULT_RULES: readonly string[] = ['~*', '+@read'];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const KEYWORDS = new Set([
  'on', 'off', 'allkeys', 'resetkeys', 'allchannels', 'resetchannels', 'allcommands', 'nocommands',
  'clearselectors', 'sanitize-payload', 'skip-sanitize-payload',
]);
// Ward generates and sets the password; a role must not add one, remove it, or open the user to any password.
const PASSWORD_KEYWORDS = new Set(['nopass', 'resetpass', 'reset']);
const PASSWORD_PREFIXES = ['>', '<', '#', '!'];
const RULE_FORMS: readonly RegExp[] = [
  /^~\S.*$/s, // key pattern
  /^%(?:R|W|RW|WR)~\S.*$/is, // key pattern with read/write permission (Redis 7)
  /^&\S.*$/s, // pub/sub channel pattern
  /^[+-]@[A-Za-z0-9_-]+$/, // command category
  /^[+-][A-Za-z0-9_.:-]+(?:\|\S+)?$/, // command, or command|subcommand / command|first-arg
];

/**
 * Reads a Redis role's creation statements (Vault's Redis plugin format) into ACL rules for `ACL SETUSER`.
 * An entry is a JSON array of rules (`["~foo:*", "+get"]`), base64 of one, or rules separated by spaces
 * (`+@read ~*`); several entries are concatenated. Each rule is checked against Redis's ACL grammar (keywords,
 * `~`/`%R~`/`&` patterns, `+`/`-` commands and `@categories`, `(…)` selectors), and rules that would set, clear or
 * bypass the password (`>…`, `<…`, `#…`, `!…`, `nopass`, `resetpass`, `reset`) are refused: Ward sets the password.
 * Returns [] when there is no rule (the plugin then uses `REDIS_DEFAULT_RULES`). Throws an invalid_request error
 * naming the entry and the rule; a rule that may hold a password is never echoed.
 */
export function parseRedisRules(statements: readonly string[]): string[] {
  const rules: string[] = [];
  statements.forEach((statement, index) => {
    const entry = decodeBase64(statement.trim());
    if (entry === '') return;
    const items = entry.startsWith('[') ? parseJsonRules(entry, index) : splitRules(entry);
    for (const item of items) {
      const rule = item.trim();
      if (rule === '') continue;
      checkRule(rule, index);
      rules.push(rule);
    }
  });
  return rules;
}

function parseJsonRules(entry: string, index: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry);
  } catch (err) {
    throw invalidRequest(`creation statement ${index + 1} is not a JSON array of Redis ACL rules: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((r) => typeof r === 'string')) {
    throw invalidRequest(`creation statement ${index + 1} must be a JSON array of strings, e.g. ["~foo:*", "+get"]`);
  }
  return parsed as string[];
}

/** Space-separated rules; a `(…)` selector stays one rule. */
function splitRules(entry: string): string[] {
  return entry.match(/\([^)]*\)?|\S+/g) ?? [];
}

function checkRule(rule: string, index: number, inSelector = false): void {
  const where = `creation statement ${index + 1}`;
  const lower = rule.toLowerCase();
  if (PASSWORD_KEYWORDS.has(lower)) {
    throw invalidRequest(`${where}: ACL rule "${rule}" is not allowed in a role: Ward sets the user's password itself`);
  }
  if (PASSWORD_PREFIXES.some((p) => rule.startsWith(p))) {
    throw invalidRequest(`${where}: an ACL rule starting with "${rule[0]}" sets or removes a password, which a role may not do: Ward sets the password itself`);
  }
  if (rule.startsWith('(')) {
    if (inSelector) throw invalidRequest(`${where}: selectors cannot be nested`);
    if (!rule.endsWith(')')) throw invalidRequest(`${where}: a selector opened with "(" is not closed with ")"`);
    const inner = rule.slice(1, -1).trim().split(/\s+/).filter((r) => r !== '');
    for (const part of inner) checkRule(part, index, true);
    return;
  }
  if (!inSelector && KEYWORDS.has(lower)) return;
  if (inSelector && ['allkeys', 'resetkeys', 'allchannels', 'resetchannels', 'allcommands', 'nocommands'].includes(lower)) return;
  if (RULE_FORMS.some((form) => form.test(rule))) return;
  throw invalidRequest(
    `${where}: "${rule}" is not a Redis ACL rule (expected e.g. "~key:*", "%R~key:*", "&channel", "+get", "-@dangerous", "+@read", "allkeys", "(~k* +get)")`,
  );
}

function decodeBase64(entry: string): string {
  if (entry === '' || entry.length % 4 !== 0 || !BASE64.test(entry)) return entry;
  const text = Buffer.from(entry, 'base64').toString('utf8');
  return text.trimStart().startsWith('[') ? text.trim() : entry;
}
