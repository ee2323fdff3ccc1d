import pino from 'pino';
import type { Logger } from '../framework/logger.js';

/**
 * Keys whose values are secrets wherever they appear in a log object. Log calls carry ids and names, not values;
 * this list is the second line of defence.
 */
const REDACT = [
  'token', 'client_token', 'password', 'secret', 'secret_id', 'key', 'keys', 'root_token', 'private_key', 'data', 'value',
  '*.token', '*.client_token', '*.password', '*.secret', '*.secret_id', '*.key', '*.keys', '*.root_token', '*.private_key',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'ward' } };
  return (destination ? pino(options, destination) : pino(options, pino.destination(2))) as unknown as Logger;
}
