import { describe, expect, it } from 'vitest';
import { isWardError, type WardError } from './errors.js';
import {
  DEFAULT_PASSWORD_POLICY,
  generatePassword,
  parsePasswordPolicy,
  PasswordGenerationTimeout,
  validatePasswordPolicy,
  type PasswordPolicy,
} from './password-policy.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

// The example of Vault's password-policies page, one attribute per line (HCL2).
const VAULT_EXAMPLE = `length = 20
rule "charset" {
  charset = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 1
}
rule "charset" {
  charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  min-chars = 1
}
rule "charset" {
  charset = "0123456789"
  min-chars = 1
}
rule "charset" {
  charset = "!@#$%^&*"
  min-chars = 1
}
`;

async function refusal(text: string): Promise<WardError> {
  try {
    await parsePasswordPolicy(text);
  } catch (err) {
    if (isWardError(err)) return err;
    throw err;
  }
  throw new Error(`expected the policy to be refused:\n${text}`);
}

function countIn(password: string, charset: string): number {
  return [...password].filter((c) => charset.includes(c)).length;
}

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe('parsePasswordPolicy', () => {
  it('reads Vault’s HCL example', async () => {
    expect(await parsePasswordPolicy(VAULT_EXAMPLE)).toEqual({
      length: 20,
      rules: [
        { charset: LOWER, minChars: 1 },
        { charset: UPPER, minChars: 1 },
        { charset: DIGITS, minChars: 1 },
        { charset: '!@#$%^&*', minChars: 1 },
      ],
    });
  });

  it('reads single-line blocks, escapes, and the full symbol set', async () => {
    expect(await parsePasswordPolicy('length = 8\nrule "charset" { charset = "abcde" }\n')).toEqual({ length: 8, rules: [{ charset: 'abcde', minChars: 0 }] });
    const symbols = await parsePasswordPolicy('length = 30\nrule "charset" {\n  charset = "!\\"#$%&\'()*+,-./:;<=>?@[\\\\]^_`{|}~"\n}\n');
    expect(symbols.rules[0]?.charset).toBe('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
    const escaped = await parsePasswordPolicy('length = 8\nrule "charset" {\n  charset = "a$${b%%{"\n}\n');
    expect(escaped.rules[0]?.charset).toBe('a${b%{');
  });

  it('reads JSON, in the HCL-JSON and in Vault’s serialised shapes', async () => {
    const expected = { length: 12, rules: [{ charset: 'xyz', minChars: 2 }, { charset: '01', minChars: 0 }] };
    expect(await parsePasswordPolicy('{"length": 12, "rule": {"charset": [{"charset": "xyz", "min-chars": 2}, {"charset": "01"}]}}')).toEqual(expected);
    expect(await parsePasswordPolicy('{"length": 12, "rule": [{"charset": [{"charset": "xyz", "min-chars": 2}]}, {"charset": {"charset": "01"}}]}')).toEqual(expected);
  });

  it('refuses HCL syntax errors with line and column', async () => {
    const err = await refusal('length = 20\nrule "charset" {\n  charset = "abc"\n');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^invalid password policy at line 2, column 16: Unclosed configuration block/);
    expect((await refusal('length = 20\nlength = 21\nrule "charset" {\n  charset = "a"\n}\n')).message).toMatch(/^invalid password policy at line 2, column 1: Attribute redefined.*already set at line 1, column 1/);
  });

  it('refuses bad JSON', async () => {
    expect((await refusal('{"length": 20, "rule": ')).message).toMatch(/^invalid password policy: invalid JSON: /);
  });

  it('enforces Vault’s length bounds (4..100)', async () => {
    const rule = 'rule "charset" {\n  charset = "abc"\n}\n';
    expect((await refusal(`length = 3\n${rule}`)).message).toBe('passwords must be between 4 and 100 characters');
    expect((await refusal(`length = 101\n${rule}`)).message).toBe('passwords must be between 4 and 100 characters');
    expect((await refusal(rule)).message).toBe('passwords must be between 4 and 100 characters');
    expect((await parsePasswordPolicy(`length = 4\n${rule}`)).length).toBe(4);
    expect((await parsePasswordPolicy(`length = 100\n${rule}`)).length).toBe(100);
  });

  it('refuses policies without a charset, with an empty one, or with non-printable characters', async () => {
    expect((await refusal('length = 20\n')).message).toMatch(/^invalid password policy: no charset specified/);
    expect((await refusal('length = 20\nrule "charset" {\n  charset = "abc"\n}\nrule "charset" {\n  charset = ""\n}\n')).message).toBe(
      'invalid password policy at line 6, column 3: rule "charset" #2: "charset" must not be empty',
    );
    expect((await refusal('length = 20\nrule "charset" {\n  charset = "ab\\tc"\n}\n')).message).toBe('invalid password policy: non-printable character in charset (U+0009)');
  });

  it('refuses min-chars that add up beyond the length, or are negative or not numbers', async () => {
    const policy = 'length = 5\nrule "charset" {\n  charset = "abc"\n  min-chars = 3\n}\nrule "charset" {\n  charset = "def"\n  min-chars = 3\n}\n';
    expect((await refusal(policy)).message).toBe('invalid password policy: specified rules require at least 6 characters but 5 is specified');
    expect((await refusal('length = 8\nrule "charset" {\n  charset = "abc"\n  min-chars = -1\n}\n')).message).toBe('invalid password policy at line 4, column 3: rule "charset" #1: "min-chars" must not be negative');
    expect((await refusal('length = 8\nrule "charset" {\n  charset = "abc"\n  min-chars = "x"\n}\n')).message).toMatch(/"min-chars" must be a whole number/);
  });

  it('knows only the charset rule, and only its two attributes', async () => {
    expect((await refusal('length = 8\nrule "charset" {\n  charset = "a"\n}\nrule "symbols" {\n  charset = "!"\n}\n')).message).toBe(
      'invalid password policy at line 5, column 1: unrecognized rule type "symbols" (Vault knows only "charset")',
    );
    expect((await refusal('length = 8\nrule "charset" {\n  charset = "abc"\n  min_chars = 1\n}\n')).message).toBe(
      'invalid password policy at line 4, column 3: rule "charset" #1: unknown attribute "min_chars" (expected "charset" and "min-chars")',
    );
    expect((await refusal('length = 8\nrule {\n  charset = "abc"\n}\n')).message).toMatch(/a rule block needs its type/);
    expect((await refusal('lenght = 8\nrule "charset" {\n  charset = "abc"\n}\n')).message).toMatch(/^invalid password policy at line 1, column 1: unknown key "lenght"/);
    expect((await refusal('length = 8\nrule "charset" {\n  charset = "a${x}"\n}\n')).message).toMatch(/HCL template sequence/);
  });

  it('refuses more than 256 distinct characters', async () => {
    const big = Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    expect((await refusal(JSON.stringify({ length: 10, rule: { charset: [{ charset: big }] } }))).message).toMatch(/charset is too long: 300 distinct characters/);
  });
});

describe('generatePassword', () => {
  it('the default policy is Vault’s', () => {
    expect(DEFAULT_PASSWORD_POLICY).toEqual({
      length: 20,
      rules: [
        { charset: LOWER, minChars: 1 },
        { charset: UPPER, minChars: 1 },
        { charset: DIGITS, minChars: 1 },
        { charset: '-', minChars: 1 },
      ],
    });
  });

  it('every default password has 20 of [A-Za-z0-9-] with a lowercase, an uppercase, a digit and a dash', () => {
    for (let i = 0; i < 2000; i++) {
      const p = generatePassword(DEFAULT_PASSWORD_POLICY);
      expect(p).toMatch(/^[A-Za-z0-9-]{20}$/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toContain('-');
    }
  });

  it('every password satisfies every min-chars of a demanding policy', async () => {
    const policy = await parsePasswordPolicy(`length = 12
rule "charset" {
  charset = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 3
}
rule "charset" {
  charset = "0123456789"
  min-chars = 3
}
rule "charset" {
  charset = "!@#$"
  min-chars = 2
}
rule "charset" {
  charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
}
`);
    for (let i = 0; i < 500; i++) {
      const p = generatePassword(policy);
      expect([...p]).toHaveLength(12);
      expect(countIn(p, LOWER)).toBeGreaterThanOrEqual(3);
      expect(countIn(p, DIGITS)).toBeGreaterThanOrEqual(3);
      expect(countIn(p, '!@#$')).toBeGreaterThanOrEqual(2);
      expect(countIn(p, LOWER + DIGITS + UPPER + '!@#$')).toBe(12);
    }
  });

  it('counts overlapping charsets per rule, and handles characters beyond the BMP', () => {
    const policy: PasswordPolicy = { length: 6, rules: [{ charset: 'abcde', minChars: 2 }, { charset: 'cdefg', minChars: 2 }, { charset: '😀', minChars: 1 }] };
    for (let i = 0; i < 300; i++) {
      const p = generatePassword(policy);
      expect([...p]).toHaveLength(6);
      expect(countIn(p, 'abcde')).toBeGreaterThanOrEqual(2);
      expect(countIn(p, 'cdefg')).toBeGreaterThanOrEqual(2);
      expect(p).toContain('😀');
    }
  });

  it('draws characters uniformly when no rule constrains them', () => {
    const policy: PasswordPolicy = { length: 100, rules: [{ charset: 'abcdefgh', minChars: 0 }] };
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) for (const c of generatePassword(policy)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe('abcdefgh');
    // 7 degrees of freedom: 35.3 is the 0.99999 quantile.
    expect(chiSquare([...counts.values()])).toBeLessThan(35.3);
  });

  it('is uniform over the passwords the rules allow (rejection sampling, not construct-and-shuffle)', () => {
    // length 4 over {a, b} with at least one of each: 16 - 2 = 14 equally likely passwords. Building the required
    // characters first and shuffling would favour some ("aabb" arrangements) over others.
    const policy: PasswordPolicy = { length: 4, rules: [{ charset: 'a', minChars: 1 }, { charset: 'b', minChars: 1 }] };
    const counts = new Map<string, number>();
    for (let i = 0; i < 14_000; i++) {
      const p = generatePassword(policy);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(counts.size).toBe(14);
    expect(counts.has('aaaa') || counts.has('bbbb')).toBe(false);
    // 13 degrees of freedom: 46.9 is the 0.99999 quantile. Construct-and-shuffle would score about 290 here.
    expect(chiSquare([...counts.values()])).toBeLessThan(46.9);
  });

  it('gives up after its time budget when the rules are all but impossible', () => {
    const chars = Array.from({ length: 200 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const policy: PasswordPolicy = { length: 100, rules: [{ charset: chars, minChars: 0 }, { charset: '!', minChars: 60 }] };
    expect(() => generatePassword(policy, { timeoutMs: 50 })).toThrow(PasswordGenerationTimeout);
  });

  it('validates hand-built policies', () => {
    expect(() => validatePasswordPolicy({ length: 2, rules: [{ charset: 'a', minChars: 0 }] })).toThrow('passwords must be between 4 and 100 characters');
    expect(() => generatePassword({ length: 10, rules: [] })).toThrow(/no charset specified/);
    expect(() => generatePassword({ length: 10, rules: [{ charset: 'ab', minChars: 11 }] })).toThrow(/require at least 11 characters/);
  });
});
