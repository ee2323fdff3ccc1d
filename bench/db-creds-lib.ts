import { rmSync } from 'node:fs';
import { Pool } from 'undici';
import { fmt, startWard, stop } from './lib.js';

/**
 * What bench/db-creds.ts (PostgreSQL) and bench/db-creds-mariadb.ts (MariaDB) share: the load loops, Ward's side of
 * the measurement (`GET database/creds/<role>`, then `PUT sys/leases/revoke` of every lease, through one undici pool
 * of `CLIENTS` connections) and the run itself — set-up, one Ward server with a database mount, for each template a
 * warm-up, the raw run and the Ward run, the figures and ratios, clean-up.
 */

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const CLIENTS = Number(process.env.BENCH_DB_CLIENTS ?? 4);
/** Credentials issued at most per issuance phase (rates are computed over the elapsed time either way). */
export const MAX_CREDS = Number(process.env.BENCH_MAX_CREDS ?? 2000);
export const GOAL = 0.85;

export interface Phase {
  count: number;
  seconds: number;
  perSecond: number;
  errors: number;
  firstError?: string;
}

/** One issuance phase and the revocation of everything it issued. */
export interface Run {
  issue: Phase;
  revoke: Phase;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** `CLIENTS` workers calling `op` until `seconds` have passed or `max` operations succeeded (never more). */
export async function timed(seconds: number, max: number, op: (worker: number) => Promise<void>): Promise<Phase> {
  let count = 0;
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, w) => {
      while (performance.now() < end && started < max) {
        started++;
        try {
          await op(w);
          count++;
        } catch (err) {
          started--;
          errors++;
          firstError ??= message(err);
          if (errors > 50) return;
        }
      }
    }),
  );
  const s = (performance.now() - start) / 1000;
  return { count, seconds: s, perSecond: count / s, errors, firstError };
}

/** `CLIENTS` workers consuming `items` with `op` until none is left. */
export async function drain<T>(items: T[], op: (item: T, worker: number) => Promise<void>): Promise<Phase> {
  const queue = [...items];
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, w) => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        try {
          await op(item, w);
          count++;
        } catch (err) {
          errors++;
          firstError ??= message(err);
        }
      }
    }),
  );
  const s = (performance.now() - start) / 1000;
  return { count, seconds: s, perSecond: count / s, errors, firstError };
}

/**
 * Raw side: `CLIENTS` connections opened by `connect`, each worker issuing with `create` on its own connection for
 * `SECONDS` (at most `MAX_CREDS`), then every credential revoked with `revoke`, 4 concurrent.
 */
export async function rawRun<C>(
  connect: () => Promise<C>,
  close: (conn: C) => Promise<void>,
  create: (conn: C) => Promise<string>,
  revoke: (conn: C, name: string) => Promise<void>,
): Promise<Run> {
  const conns = await Promise.all(Array.from({ length: CLIENTS }, connect));
  try {
    const names: string[] = [];
    const issue = await timed(SECONDS, MAX_CREDS, async (w) => {
      names.push(await create(conns[w]!));
    });
    const revoked = await drain(names, (name, w) => revoke(conns[w]!, name));
    return { issue, revoke: revoked };
  } finally {
    await Promise.all(conns.map((c) => close(c)));
  }
}

/** The same per-key serialisation as Ward's KeyedLock (src/lib/keyed-lock.ts), for one key. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release: () => void = () => undefined;
    this.#tail = previous.then(() => new Promise<void>((r) => (release = r)));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** Ward's side: `GET database/creds/<role>` for `seconds` (at most `max`), then `PUT sys/leases/revoke` of every lease. */
export async function wardRun(pool: Pool, token: string, role: string, seconds = SECONDS, max = MAX_CREDS): Promise<Run> {
  const leases: string[] = [];
  const issue = await timed(seconds, max, async () => {
    const res = await pool.request({ path: `/v1/database/creds/${role}`, method: 'GET', headers: { 'x-vault-token': token } });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`creds: ${res.statusCode} ${text}`);
    leases.push((JSON.parse(text) as { lease_id: string }).lease_id);
  });
  const revoke = await drain(leases, async (leaseId) => {
    const res = await pool.request({
      path: '/v1/sys/leases/revoke',
      method: 'PUT',
      headers: { 'x-vault-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ lease_id: leaseId }),
    });
    const text = await res.body.text();
    if (res.statusCode !== 204 && res.statusCode !== 200) throw new Error(`revoke: ${res.statusCode} ${text}`);
  });
  return { issue, revoke };
}

export async function api(url: string, token: string, method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${url}/v1/${path}`, { method, headers: { 'x-vault-token': token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
}

const line = (label: string, p: Phase, unit: string) =>
  `  ${label.padEnd(34)} ${fmt(p.perSecond).padStart(6)} ${unit}/s  (${fmt(p.count)} in ${fmt(p.seconds, 2)} s${p.errors ? `, ${p.errors} errors: ${p.firstError}` : ''})`;

/** One creation template: the Ward role that uses it and its creation statements (placeholders as Vault's). */
export interface BenchTemplate {
  role: string;
  statements: string;
}

/** One database to measure. */
export interface DbCredsTarget<T extends string> {
  /** `PostgreSQL`, `MariaDB`. */
  title: string;
  /** `raw pg`, `raw mysql2`: how the raw lines are labelled. */
  rawLabel: string;
  /** The `database/config/bench` body. */
  connection: Record<string, unknown>;
  templates: Record<T, BenchTemplate>;
  /** Creates what the templates need (after dropping anything an earlier run left). */
  setUp(): Promise<void>;
  /** Drops every bench user left and what `setUp` made; returns how many users were left. */
  tearDown(): Promise<number>;
  /** What `tearDown` dropped besides users, for the clean-up line. */
  tearDownNote: string;
  raw(template: T): Promise<Run>;
  /**
   * Ward issues exactly as many credentials as the raw run did (taking up to 4 × `SECONDS`) instead of issuing for
   * `SECONDS`, so both sides create and revoke over the same range of account counts. For servers where an account
   * operation costs more the more accounts exist (MariaDB: `mysql.user` has no index on the user name alone, and
   * its ACL arrays are searched linearly), a slower side would otherwise be measured on a smaller server.
   */
  equalCounts?: boolean;
}

/**
 * The whole benchmark for one database: set-up, one Ward server with the connection `bench` and a role per template,
 * then per template a one-second uncounted warm-up through Ward, the raw run, the Ward run and the ratios; clean-up
 * whatever happened. Exits non-zero when any request or statement failed.
 */
export async function runDbCreds<T extends string>(target: DbCredsTarget<T>): Promise<void> {
  const templates = Object.keys(target.templates) as T[];
  let failed = false;
  await target.setUp();
  try {
    const ward = await startWard();
    const pool = new Pool(ward.url, { connections: CLIENTS, pipelining: 1 });
    try {
      await api(ward.url, ward.token, 'POST', 'sys/mounts/database', { type: 'database' });
      await api(ward.url, ward.token, 'POST', 'database/config/bench', target.connection);
      for (const t of templates) {
        await api(ward.url, ward.token, 'POST', `database/roles/${target.templates[t].role}`, {
          db_name: 'bench',
          creation_statements: [target.templates[t].statements],
          default_ttl: '1h',
          max_ttl: '24h',
        });
      }
      const sameCount = target.equalCounts ? '; Ward issues as many as the raw run did' : '';
      console.log(`db-creds: ${target.title} (${SECONDS}s issuance per run, ${CLIENTS} concurrent clients, at most ${fmt(MAX_CREDS)} credentials per run${sameCount})`);
      for (const t of templates) {
        const role = target.templates[t].role;
        await wardRun(pool, ward.token, role, 1).catch(() => undefined);
        const raw = await target.raw(t);
        const w = target.equalCounts ? await wardRun(pool, ward.token, role, 4 * SECONDS, raw.issue.count) : await wardRun(pool, ward.token, role);
        const ri = w.issue.perSecond / raw.issue.perSecond;
        const rr = w.revoke.perSecond / raw.revoke.perSecond;
        console.log(`${t}:`);
        console.log(line(`${target.rawLabel}, issued`, raw.issue, 'creds'));
        console.log(line(`${target.rawLabel}, revoked`, raw.revoke, 'creds'));
        console.log(line('Ward, issued (database/creds)', w.issue, 'creds'));
        console.log(line('Ward, revoked (sys/leases/revoke)', w.revoke, 'creds'));
        console.log(`  ratio issued Ward / raw:  ${fmt(ri, 2)} (goal ≥ ${GOAL}) ${ri >= GOAL ? 'MET' : 'NOT MET'}`);
        console.log(`  ratio revoked Ward / raw: ${fmt(rr, 2)} (goal ≥ ${GOAL}) ${rr >= GOAL ? 'MET' : 'NOT MET'}`);
        if (w.issue.errors || w.revoke.errors || raw.issue.errors || raw.revoke.errors) failed = true;
      }
    } finally {
      await pool.close();
      await stop(ward.child);
      rmSync(ward.dir, { recursive: true, force: true });
    }
  } finally {
    const left = await target.tearDown();
    console.log(`clean-up: ${target.tearDownNote}; ${left} leftover user(s) dropped`);
  }
  if (failed) process.exit(1);
}

/** Runs `main` and exits non-zero when it throws. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
