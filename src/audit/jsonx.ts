/**
 * IBM JSONx, as Vault's `format=jsonx` writes it (github.com/jefferai/jsonx `EncodeJSONBytes`): the children of the
 * top-level object, keys sorted, with no XML declaration and no enclosing element. Unlike Vault, text and names are
 * XML-escaped, so a value containing `<` cannot break the document.
 */
export function toJSONx(entry: Record<string, unknown>): string {
  return Object.keys(entry).sort().map((k) => element(entry[k], k)).join('');
}

function escapeXML(text: string): string {
  return text.replace(/[<>&'"\r\n\t]/g, (c) => XML_ESCAPES[c] ?? c);
}

// The set Go's xml.EscapeText replaces.
const XML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\r': '&#xD;', '\n': '&#xA;', '\t': '&#x9;' };

function element(value: unknown, name?: string): string {
  const attr = name === undefined ? '' : ` name="${escapeXML(name)}"`;
  if (value === null || value === undefined) return `<json:null${attr} />`;
  if (typeof value === 'boolean') return `<json:boolean${attr}>${value}</json:boolean>`;
  if (typeof value === 'number') return `<json:number${attr}>${value}</json:number>`;
  if (typeof value === 'string') return `<json:string${attr}>${escapeXML(value)}</json:string>`;
  if (Array.isArray(value)) return `<json:array${attr}>${value.map((v) => element(v)).join('')}</json:array>`;
  const obj = value as Record<string, unknown>;
  const children = Object.keys(obj).sort().map((k) => element(obj[k], k)).join('');
  return `<json:object${attr}>${children}</json:object>`;
}
