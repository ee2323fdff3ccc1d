import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The raw operation a kv read costs at least: an HTTP request answered with one SQLite point lookup and one AES-GCM
 * decrypt, on the same SQLite settings Ward uses (WAL). bench/kv-read compares Ward against this.
 */
const [dir, port] = process.argv.slice(2) as [string, string];
const db = new Database(join(dir, 'baseline.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID');
const key = randomBytes(32);
const nonce = randomBytes(12);
const cipher = createCipheriv('aes-256-gcm', key, nonce);
cipher.setAAD(Buffer.from('kv/bench'));
const ct = Buffer.concat([cipher.update(JSON.stringify({ data: { password: 'x'.repeat(32) } })), cipher.final(), cipher.getAuthTag()]);
db.prepare('INSERT OR REPLACE INTO entries VALUES (?, ?)').run('kv/bench', Buffer.concat([nonce, ct]));
const get = db.prepare('SELECT value FROM entries WHERE key = ?');

createServer((req, res) => {
  const row = get.get('kv/bench') as { value: Buffer };
  const d = createDecipheriv('aes-256-gcm', key, row.value.subarray(0, 12));
  d.setAAD(Buffer.from('kv/bench'));
  d.setAuthTag(row.value.subarray(row.value.length - 16));
  const plain = Buffer.concat([d.update(row.value.subarray(12, row.value.length - 16)), d.final()]);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(plain);
  void req;
}).listen(Number(port), '127.0.0.1');
