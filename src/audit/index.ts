/** Audit devices: Vault-compatible entries, HMAC'd per device, written fail-closed (docs/audit.md). */
export { AuditBroker, type AuditBrokerOptions, type AuditDeviceInfo, type AuditMetrics } from './broker.js';
export { AuditFailureError, isAuditFailure } from './errors.js';
export { hashForDevice, hashValues, newSalt, SALT_BYTES } from './hash.js';
export { formatRequestEntry, formatResponseEntry, type AuditEntry, type EntryOptions } from './entry.js';
export { isAuditExempt } from './exempt.js';
export { auditAuthFromToken, auditResponseFromCore } from './from-core.js';
export { abandonedLeaseInput, type ForcingRequest } from './lease-events.js';
export { builtinSinkFactories, type AuditSink, type SinkFactory } from './devices/index.js';
export type { AuditAuthInput, AuditRequestInput, AuditResponseBody, AuditResponseInput, AuditWrapInfoInput } from './types.js';
