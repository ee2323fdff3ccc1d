import { internalError } from '../../framework/index.js';
import type { StoredConnection } from './connection-store.js';
import { usernameTemplateOf } from './connection-store.js';
import type { DatabasePluginFactory } from './plugin.js';
import { renderUsernameTemplate } from './username-template.js';

/**
 * The name of a new dynamic user: the connection's `username_template`, else the plugin's default (spec §7.4), with
 * the caller's token display name and the role name.
 */
export function newUsername(conn: StoredConnection, factory: DatabasePluginFactory, displayName: string, roleName: string, now: () => number): string {
  const template = usernameTemplateOf(conn) || factory.defaultUsernameTemplate(conn.pluginName);
  try {
    return renderUsernameTemplate(template, { DisplayName: displayName, RoleName: roleName }, now);
  } catch (err) {
    throw internalError(`unable to generate username: ${err instanceof Error ? err.message : String(err)}`);
  }
}
