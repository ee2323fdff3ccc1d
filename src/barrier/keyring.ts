import { randomBytes } from 'node:crypto';

export interface KeyTerm {
  term: number;
  key: Buffer;
  /** Milliseconds since the epoch. */
  installTime: number;
}

interface KeyringJSON {
  activeTerm: number;
  keys: Array<{ term: number; key: string; installTime: number }>;
}

/**
 * The data-encryption keys of the barrier, one per term. New writes use the active (newest) term; older terms stay
 * so that values written under them still open. Rotation adds a term and never removes one.
 */
export class Keyring {
  private constructor(
    private readonly terms: Map<number, KeyTerm>,
    readonly activeTerm: number,
  ) {}

  static create(now: number): Keyring {
    return new Keyring(new Map([[1, { term: 1, key: randomBytes(32), installTime: now }]]), 1);
  }

  /** A new keyring with one more term, active. */
  rotated(now: number): Keyring {
    const term = this.activeTerm + 1;
    const terms = new Map(this.terms);
    terms.set(term, { term, key: randomBytes(32), installTime: now });
    return new Keyring(terms, term);
  }

  active(): KeyTerm {
    return this.terms.get(this.activeTerm) as KeyTerm;
  }

  get(term: number): KeyTerm | undefined {
    return this.terms.get(term);
  }

  serialize(): Buffer {
    const json: KeyringJSON = {
      activeTerm: this.activeTerm,
      keys: [...this.terms.values()].map((t) => ({ term: t.term, key: t.key.toString('base64'), installTime: t.installTime })),
    };
    return Buffer.from(JSON.stringify(json), 'utf8');
  }

  static deserialize(raw: Buffer): Keyring {
    const json = JSON.parse(raw.toString('utf8')) as KeyringJSON;
    const terms = new Map<number, KeyTerm>();
    for (const k of json.keys) terms.set(k.term, { term: k.term, key: Buffer.from(k.key, 'base64'), installTime: k.installTime });
    if (!terms.has(json.activeTerm)) throw new Error('keyring has no active term');
    return new Keyring(terms, json.activeTerm);
  }

  /** Zeroes key material in memory (on seal). */
  wipe(): void {
    for (const t of this.terms.values()) t.key.fill(0);
  }
}
