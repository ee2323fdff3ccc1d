import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../framework/logger.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { AuditBroker } from './broker.js';
import { isAuditExempt } from './exempt.js';
import { abandonedLeaseInput } from './lease-events.js';

describe('abandoned-lease entries (revoke-force)', () => {
  it('name the lease in plaintext and hash the credential, findable with audit-hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-audit-lease-'));
    const file = join(dir, 'audit.log');
    const broker = new AuditBroker({ storage: new InmemPhysical(), logger: silentLogger });
    await broker.enable('file', 'file', { file_path: file });
    const rec = {
      id: 'database/creds/app/x1', mountPath: 'database/', secretType: 'creds', internal: { username: 'v-app-x1', db: 'main' },
      issueTime: Date.UTC(2024, 0, 1), entityId: 'ent-1', requestId: 'req-0', tokenAccessor: 'acc-1', lastError: 'connection refused', state: 'retrying' as const,
    };
    await broker.logResponse(abandonedLeaseInput({ id: 'req-9', path: 'sys/leases/revoke-force/database/', remoteAddress: '10.0.0.1' }, rec));
    await broker.unload();
    const text = readFileSync(file, 'utf8');
    const entry = JSON.parse(text.trim().split('\n').pop() as string) as { type: string; error: string; response: { secret: { lease_id: string }; warnings: string[]; data: Record<string, string> } };
    rmSync(dir, { recursive: true, force: true });
    expect(entry.type).toBe('response');
    expect(entry.error).toContain('revoke-force');
    expect(entry.response.secret.lease_id).toBe(rec.id);
    expect(entry.response.warnings[0]).toContain('database/creds/app/x1 (creds at database/');
    expect(text).not.toContain('v-app-x1');
    expect(entry.response.data.username).toMatch(/^hmac-sha256:/);
  });
});

describe('isAuditExempt', () => {
  it('skips the paths Vault never audits, and sys/metrics only when unauthenticated', () => {
    for (const p of ['sys/init', 'sys/seal-status', 'sys/unseal', 'sys/health', 'sys/leader', 'sys/rekey/init', 'sys/seal']) expect(isAuditExempt(p)).toBe(true);
    for (const p of ['sys/mounts', 'secret/data/x', 'sys/audit/file', 'sys/sealed-thing']) expect(isAuditExempt(p)).toBe(false);
    expect(isAuditExempt('sys/metrics')).toBe(false);
    expect(isAuditExempt('sys/metrics', { unauthenticatedMetrics: true })).toBe(true);
  });
});
