import type { EngineResponse } from '../framework/types.js';

/** A plain JSON body outside Vault's envelope (sys/init, sys/seal-status, sys/health answer this way). */
export function plainJSON(body: unknown, status = 200): EngineResponse {
  return { raw: { status, contentType: 'application/json', body: JSON.stringify(body) } };
}
