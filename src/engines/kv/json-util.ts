/** Small helpers for the arbitrary JSON values kv stores. */

export type JsonObject = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets an own property even for names like `__proto__`: user data may contain any key, and plain assignment of
 * `__proto__` would change the object's prototype instead of storing the key.
 */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * JSON merge patch (RFC 7396), as Vault's `framework.HandlePatchOperation` applies it: objects merge recursively,
 * `null` removes a key, anything else replaces. Returns a new value; the inputs are not modified.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const out: JsonObject = {};
  if (isJsonObject(target)) for (const [k, v] of Object.entries(target)) setOwn(out, k, v);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, mergePatch(Object.hasOwn(out, k) ? out[k] : undefined, v));
  }
  return out;
}
