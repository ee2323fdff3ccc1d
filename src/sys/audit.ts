import type { AuditBroker } from '../audit/broker.js';
import { definePath, field, invalidRequest, type PathSpec } from '../framework/index.js';

/**
 * `sys/audit` (list), `sys/audit/:path` (enable, disable) and `sys/audit-hash/:path` (spec §2.6). Listing and
 * changing devices is sudo (the sys backend's special paths say so); hashing needs only a token allowed the path.
 */
export function auditPaths(broker: AuditBroker): PathSpec[] {
  return [
    definePath({
      pattern: 'audit',
      synopsis: 'Lists the enabled audit devices.',
      fields: {},
      operations: { read: async () => ({ data: { ...broker.list() } }) },
    }),
    definePath({
      pattern: 'audit-hash/(?<path>.+)',
      synopsis: 'Hashes a value with an audit device\'s salt, as its log shows it.',
      help: 'Returns `hmac-sha256:<hex>`: search the device\'s log for it to find where a leaked value appeared.',
      fields: {
        path: field.string({ description: 'The path of the audit device.' }),
        input: field.string({ description: 'The value to hash.', sensitive: true }),
      },
      operations: {
        update: async (_req, f) => {
          if (!f.input) throw invalidRequest('the "input" parameter is empty');
          return { data: { hash: broker.hash(f.path as string, f.input) } };
        },
      },
    }),
    definePath({
      pattern: 'audit/(?<path>.+)',
      synopsis: 'Enables or disables an audit device.',
      help: 'Types: `file` (`file_path`, `mode`), `socket` (`address`, `socket_type`, `write_timeout`), `syslog` (`facility`, `tag`); every type also takes `format`, `prefix`, `hmac_accessor`, `log_raw`, `elide_list_responses`.',
      fields: {
        path: field.string({ description: 'The path to enable the device at.' }),
        type: field.string({ description: 'The type of the device: file, socket or syslog.' }),
        description: field.string({ description: 'User-friendly description.', default: '' }),
        options: field.kvPairs({ description: 'Options of the device, e.g. {"file_path": "/var/log/ward/audit.log"}.' }),
        local: field.bool({ description: 'Whether the device is local to this cluster.', default: false }),
      },
      operations: {
        update: async (_req, f) => {
          await broker.enable(f.path as string, f.type ?? '', f.options ?? {}, f.description, f.local);
          return null;
        },
        delete: async (_req, f) => {
          // Disabling a device that is not there is a 204, as in Vault.
          await broker.disable(f.path as string);
          return null;
        },
      },
    }),
  ];
}
