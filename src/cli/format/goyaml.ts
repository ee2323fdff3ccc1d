import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/**
 * Vault's `-format=yaml` (ghodss/yaml over yaml.v2): the value is turned into JSON and back, so every mapping is
 * sorted with yaml.v2's key order (letters after other characters, digit runs compared as numbers); sequences are
 * not indented under their key; strings that YAML 1.1 would read as another type (`true`, `yes`, `1`,
 * timestamps) are double-quoted; long or multi-line strings are never folded.
 */
export function goYaml(value: unknown): string {
  const doc = new Document(null, { version: '1.1' });
  doc.contents = toNode(doc, value) as typeof doc.contents;
  return doc.toString({ indentSeq: false, lineWidth: 0, minContentWidth: 0, blockQuote: false, singleQuote: false, nullStr: 'null' });
}

/** Builds YAML nodes by hand: Maps and plain objects become plain mappings with yaml.v2's key order. */
function toNode(doc: Document, v: unknown): unknown {
  if (Array.isArray(v)) {
    const seq = new YAMLSeq();
    for (const item of v) seq.items.push(toNode(doc, item));
    return seq;
  }
  if (v !== null && typeof v === 'object') {
    const entries: [string, unknown][] =
      v instanceof Map ? [...(v as Map<unknown, unknown>).entries()].map(([k, x]) => [String(k), x]) : Object.entries(v as Record<string, unknown>);
    const map = new YAMLMap();
    entries
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => compareYamlV2Keys(a, b))
      .forEach(([k, x]) => map.items.push(new Pair(new Scalar(k), toNode(doc, x))));
    return map;
  }
  return doc.createNode(v === undefined ? null : v);
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => /\p{Nd}/u.test(c);

/** yaml.v2's keyList.Less for string keys, as a comparator. */
export function compareYamlV2Keys(a: string, b: string): number {
  if (a === b) return 0;
  return yamlV2Less(a, b) ? -1 : 1;
}

function yamlV2Less(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return (ac.codePointAt(0) ?? 0) < (bc.codePointAt(0) ?? 0);
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (ac.codePointAt(0) ?? 0) < (bc.codePointAt(0) ?? 0);
  }
  return ar.length < br.length;
}
