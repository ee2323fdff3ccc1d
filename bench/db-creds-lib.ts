import { rmSync } from 'node:fs';
import { Pool } from 'undici';
import { fmt, startWard, stop } from './lib.js';

/**
 * What bench/db-creds.ts (PostgreSQL) and bench/db-creds-mariadb.ts (MariaDB) share: the load loops, Ward's side of
 * the measurement (`GET database/creds/<role>`, then `PUT sys/leases/revoke` of every lease, through one undici pool
 * of `CLIENTS` connections) and the run itself — set-up, one Ward server with a database mount, for each template a
 * warm-up, the raw and the Ward side in alternating one-second slices, the figures and ratios, clean-up.
 *
 * Why slices: on a shared machine the database's speed drifts by more than the ratio being measured within the
 * minute a run takes (other work, the disk's fsync rate), so raw-then-Ward runs gave ratios from 0.5 to 1.0 for the
 * same code. Alternating one-second slices expose both sides to the same conditions, and to the same number of live
 * accounts (account statements cost more the more accounts exist): both populations grow and shrink together.
 */

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const CLIENTS = Number(process.env.BENCH_DB_CLIENTS ?? 4);
/** Credentials issued at most per side and template, unless the template sets less (rates are per elapsed time either way). */
export const MAX_CREDS = Number(process.env.BENCH_MAX_CREDS ?? 2500);
/** Length of one slice of one side, in seconds. */
const SLICE_SECONDS = 1;
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

/** `CLIENTS` workers consuming `queue` (in place) with `op` until none is left or `seconds` have passed. */
export async function drain<T>(queue: T[], op: (item: T, worker: number) => Promise<void>, seconds = Infinity): Promise<Phase> {
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, w) => {
      for (let item = performance.now() < end ? queue.shift() : undefined; item !== undefined; item = performance.now() < end ? queue.shift() : undefined) {
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

/** The raw side of one template: `CLIENTS` connections, worker `w` using the `w`-th. */
export interface RawSide {
  create(worker: number): Promise<string>;
  revoke(worker: number, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens `CLIENTS` connections with `connect`; `create` and `revoke` run the raw statements on one of them. */
export async function openRaw<C>(
  connect: () => Promise<C>,
  close: (conn: C) => Promise<void>,
  create: (conn: C) => Promise<string>,
  revoke: (conn: C, name: string) => Promise<void>,
): Promise<RawSide> {
  const conns = await Promise.all(Array.from({ length: CLIENTS }, connect));
  return {
    create: (w) => create(conns[w]!),
    revoke: (w, name) => revoke(conns[w]!, name),
    close: async () => {
      await Promise.all(conns.map((c) => close(c)));
    },
  };
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

/** One `GET database/creds/<role>`; returns the lease id. */
async function wardIssue(pool: Pool, token: string, role: string): Promise<string> {
  const res = await pool.request({ path: `/v1/database/creds/${role}`, method: 'GET', headers: { 'x-vault-token': token } });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`creds: ${res.statusCode} ${text}`);
  return (JSON.parse(text) as { lease_id: string }).lease_id;
}

/** One `PUT sys/leases/revoke`. */
async function wardRevoke(pool: Pool, token: string, leaseId: string): Promise<void> {
  const res = await pool.request({
    path: '/v1/sys/leases/revoke',
    method: 'PUT',
    headers: { 'x-vault-token': token, 'content-type': 'application/json' },
    body: JSON.stringify({ lease_id: leaseId }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 204 && res.statusCode !== 200) throw new Error(`revoke: ${res.statusCode} ${text}`);
}

/** Sums of the slices of one side. */
class Totals {
  count = 0;
  seconds = 0;
  errors = 0;
  firstError: string | undefined;
  add(p: Phase): void {
    this.count += p.count;
    this.seconds += p.seconds;
    this.errors += p.errors;
    this.firstError ??= p.firstError;
  }
  phase(): Phase {
    return { count: this.count, seconds: this.seconds, perSecond: this.seconds > 0 ? this.count / this.seconds : 0, errors: this.errors, firstError: this.firstError };
  }
}

/**
 * Both sides of one template in alternating slices: issuance for `SECONDS` of slices each (at most `perSide`
 * credentials per side), then revocation of everything each side issued, alternating until both are done.
 */
async function interleavedRuns(raw: RawSide, pool: Pool, token: string, role: string, perSide: number): Promise<{ raw: Run; ward: Run }> {
  const names: string[] = [];
  const leases: string[] = [];
  const rawIssue = new Totals();
  const wardIssueTotals = new Totals();
  for (let slice = 0; slice < SECONDS / SLICE_SECONDS && (names.length < perSide || leases.length < perSide); slice++) {
    if (names.length < perSide) rawIssue.add(await timed(SLICE_SECONDS, perSide - names.length, async (w) => void names.push(await raw.create(w))));
    if (leases.length < perSide) wardIssueTotals.add(await timed(SLICE_SECONDS, perSide - leases.length, async () => void leases.push(await wardIssue(pool, token, role))));
  }
  const rawRevoke = new Totals();
  const wardRevokeTotals = new Totals();
  while (names.length > 0 || leases.length > 0) {
    if (names.length > 0) rawRevoke.add(await drain(names, (name, w) => raw.revoke(w, name), SLICE_SECONDS));
    if (leases.length > 0) wardRevokeTotals.add(await drain(leases, (lease) => wardRevoke(pool, token, lease), SLICE_SECONDS));
  }
  return { raw: { issue: rawIssue.phase(), revoke: rawRevoke.phase() }, ward: { issue: wardIssueTotals.phase(), revoke: wardRevokeTotals.phase() } };
}

/** An uncounted round through Ward: issue for `seconds`, revoke all. */
async function warmUp(pool: Pool, token: string, role: string, seconds: number): Promise<void> {
  const leases: string[] = [];
  await timed(seconds, MAX_CREDS, async () => void leases.push(await wardIssue(pool, token, role)));
  await drain(leases, (lease) => wardRevoke(pool, token, lease));
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
  /** At most this many credentials per side (below `MAX_CREDS`), where the database has a limit on live users. */
  maxPerSide?: number;
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
  /** Opens the raw side of a template (its connections). */
  raw(template: T): Promise<RawSide>;
}

/**
 * The whole benchmark for one database: set-up, one Ward server with the connection `bench` and a role per template,
 * then per template a one-second uncounted warm-up through Ward, the two sides in alternating slices, and the ratios;
 * clean-up whatever happened. Exits non-zero when any request or statement failed.
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
      console.log(
        `db-creds: ${target.title} (${SECONDS} s of issuance per side in alternating ${SLICE_SECONDS}-s slices, ${CLIENTS} concurrent clients, at most ${fmt(MAX_CREDS)} credentials per side and template)`,
      );
      for (const t of templates) {
        const role = target.templates[t].role;
        await warmUp(pool, ward.token, role, 1).catch(() => undefined);
        const rawSide = await target.raw(t);
        let raw: Run;
        let w: Run;
        try {
          ({ raw, ward: w } = await interleavedRuns(rawSide, pool, ward.token, role, Math.min(MAX_CREDS, target.templates[t].maxPerSide ?? MAX_CREDS)));
        } finally {
          await rawSide.close();
        }
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
