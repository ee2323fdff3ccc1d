import { escapeIdentifier } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropRoles, su, tryLogin, uniqueName } from '../../../../../test/helpers/postgres.js';
import { scramSha256Verifier } from './scram.js';

describe('scramSha256Verifier', () => {
  const roles: string[] = [];
  afterAll(() => dropRoles(roles));

  it('computes the verifier PostgreSQL would (fixed salt; expected value computed independently with Python hashlib)', async () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    expect(await scramSha256Verifier('pencil', salt, 4096)).toBe(
      'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=',
    );
  });

  it('uses a fresh salt each time', async () => {
    expect(await scramSha256Verifier('x')).not.toBe(await scramSha256Verifier('x'));
  });

  it('is accepted by PostgreSQL as a stored verifier: the plaintext logs in, a wrong one does not', async () => {
    const name = uniqueName('scram');
    roles.push(name);
    const verifier = await scramSha256Verifier('Correct-Horse-1');
    await su(`CREATE ROLE ${escapeIdentifier(name)} LOGIN PASSWORD '${verifier}'`);
    const [row] = await su<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [name]);
    expect(row?.rolpassword).toBe(verifier);
    expect((await tryLogin(name, 'Correct-Horse-1')).ok).toBe(true);
    expect((await tryLogin(name, 'wrong')).ok).toBe(false);
  });
});
