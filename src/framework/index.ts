/** The engine toolkit: everything an engine or auth method may import besides `lib/`. */
export * from './types.js';
export * from './fields.js';
export * from './path.js';
export * from './secret.js';
export * from './engine.js';
export * from './storage.js';
export * from './logger.js';
export * from './dispatch.js';
export * from './help.js';
export * from './token-fields.js';
export { secretsEqual } from '../lib/constant-time.js';
export * from '../lib/errors.js';
export { parseDurationSeconds, formatGoDuration } from '../lib/duration.js';
export { rfc3339Nano } from '../lib/clock.js';
