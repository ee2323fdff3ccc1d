/**
 * Freezes `value` and everything it holds. Cached records are shared between concurrent requests, so they are
 * frozen: one caller cannot change another's view (copy before changing).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
