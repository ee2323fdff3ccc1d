import { randomInt } from 'node:crypto';
import { isRetryableConflict } from './pg-errors.js';

/** Attempts for statements that hit a concurrent-update conflict (deadlock, "tuple concurrently updated"). */
export const CONFLICT_ATTEMPTS = 6;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('the operation was aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('the operation was aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` (a whole transaction) again when PostgreSQL reports a conflict that a retry resolves, backing off with
 * jitter; any other error, or the last conflict, is thrown.
 */
export async function retryConflicts<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= CONFLICT_ATTEMPTS || !isRetryableConflict(err)) throw err;
      await sleep(10 * 2 ** attempt + randomInt(20), signal);
    }
  }
}
