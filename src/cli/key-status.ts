import type { Client } from './client.js';
import { columnOutput } from './format/columnize.js';
import { isRecord } from './secret.js';

/** The api.KeyStatus of `sys/key-status`, in Go field order. */
export interface KeyStatus {
  term: number;
  install_time: string;
  encryptions: number | undefined;
}

/** GET sys/key-status (the fields may sit under `data` or at the top level). */
export async function fetchKeyStatus(client: Client): Promise<KeyStatus> {
  const res = await client.call('GET', 'sys/key-status');
  const body = isRecord(res.json) ? res.json : {};
  const d = isRecord(body.data) ? body.data : body;
  return {
    term: typeof d.term === 'number' ? d.term : 0,
    install_time: typeof d.install_time === 'string' ? d.install_time : '0001-01-01T00:00:00Z',
    encryptions: typeof d.encryptions === 'number' ? d.encryptions : undefined,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's `time.RFC822` layout (`02 Jan 06 15:04 MST`) of a timestamp, in UTC. */
export function rfc822(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (x: number): string => String(x).padStart(2, '0');
  return `${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

/** Vault's printKeyStatus: `Key Term / Install Time / Encryption Count` columns. */
export function keyStatusColumns(ks: KeyStatus): string {
  const lines = [`Key Term | ${ks.term}`, `Install Time | ${rfc822(ks.install_time)}`];
  if (ks.encryptions !== undefined) lines.push(`Encryption Count | ${ks.encryptions}`);
  return columnOutput(lines);
}

/** The KeyStatus struct for JSON/YAML output. */
export function keyStatusStruct(ks: KeyStatus): Map<string, unknown> {
  const m = new Map<string, unknown>([
    ['term', ks.term],
    ['install_time', ks.install_time],
  ]);
  if (ks.encryptions !== undefined) m.set('encryptions', ks.encryptions);
  return m;
}
