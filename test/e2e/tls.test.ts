import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConfiguredServer } from '../helpers/server.js';
import { selfSignedCert } from '../helpers/tls.js';

/** A TLS listener configured in HCL with a certificate made in the test. */
describe('TLS listener', () => {
  let srv: Awaited<ReturnType<typeof startConfiguredServer>>;
  let certPem = '';

  beforeAll(async () => {
    const cert = await selfSignedCert();
    certPem = cert.certPem;
    srv = await startConfiguredServer((dir) => {
      writeFileSync(join(dir, 'cert.pem'), cert.certPem);
      writeFileSync(join(dir, 'key.pem'), cert.keyPem, { mode: 0o600 });
      return `storage "sqlite" {\n  path = "${join(dir, 'ward.db')}"\n}\nlistener "tcp" {\n  address = "127.0.0.1:0"\n  tls_cert_file = "${join(dir, 'cert.pem')}"\n  tls_key_file = "${join(dir, 'key.pem')}"\n}\n`;
    });
  });
  afterAll(async () => {
    await srv.stop();
    srv.cleanup();
  });

  it('serves https with the configured certificate, LIST included', async () => {
    expect(srv.addr).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const dispatcher = new Agent({ connect: { ca: certPem } });
    const res = await request(`${srv.addr}/v1/sys/seal-status`, { dispatcher });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toMatchObject({ initialized: false, sealed: true });
    const list = await request(`${srv.addr}/v1/secret/metadata/`, { method: 'LIST' as 'GET', dispatcher });
    expect(list.statusCode).toBe(503);
    await list.body.text();
    await dispatcher.close();
  });

  it('refuses clients that do not trust the certificate, and plain http on the TLS port', async () => {
    await expect(request(`${srv.addr}/v1/sys/seal-status`)).rejects.toThrow(/certificate/i);
    const plain = srv.addr.replace('https://', 'http://');
    await expect(request(`${plain}/v1/sys/seal-status`, { headersTimeout: 2000, bodyTimeout: 2000 }).then((r) => r.body.text())).rejects.toThrow();
  });
});
