import { invalidRequest } from '../../framework/index.js';
import type { DatabaseBackend } from './backend.js';
import { readConnection } from './connection-store.js';

/**
 * Refuses a role whose statements do not parse, when it is written rather than at the first `creds` request: the
 * connection's plugin splits each list exactly as it will when running it. When the connection is not configured
 * yet (Vault allows roles first), its dialect is unknown and the check happens at use instead.
 */
export async function checkStatements(b: DatabaseBackend, dbName: string, lists: Record<string, readonly string[]>): Promise<void> {
  const conn = await readConnection(b.storage, dbName);
  if (!conn) return;
  const factory = b.connections.factoryFor(conn.pluginName);
  if (!factory.parseStatements) return;
  const problems: string[] = [];
  for (const [name, statements] of Object.entries(lists)) {
    if (statements.length === 0) continue;
    try {
      factory.parseStatements(conn.pluginName, [...statements]);
    } catch (err) {
      problems.push(`${name} do not parse: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) throw invalidRequest(problems);
}

/** Vault's TypeStringSlice: empty entries dropped. */
export function statementList(value: readonly string[] | undefined): string[] | undefined {
  return value?.filter((s) => s.trim() !== '');
}
