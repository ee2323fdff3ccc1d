import { notFound, unsupportedOperation } from '../lib/errors.js';
import { parseFields } from './fields.js';
import { matchPath, type PathMatch } from './path.js';
import type { Engine } from './engine.js';
import type { EngineRequest, EngineResponse, Operation } from './types.js';
import { pathHelp } from './help.js';

/**
 * Finds the declared path for a request. Unknown paths are Vault's 404 `unsupported path`; `help` on a mount root
 * matches nothing and is answered by the engine's help.
 */
export function routeEngineRequest(engine: Engine, relPath: string): PathMatch {
  const match = matchPath(engine.paths, relPath);
  if (!match) throw notFound('unsupported path');
  return match;
}

function requestData(req: EngineRequest, match: PathMatch): Record<string, unknown> {
  return { ...req.data, ...match.captures };
}

/**
 * Decides between `create` and `update` for a write, as Vault does: only paths with an existence check can
 * produce `create`. Runs before the ACL check, because the two need different capabilities.
 */
export async function resolveWriteOperation(req: EngineRequest, match: PathMatch): Promise<Operation> {
  if (req.operation !== 'update' && req.operation !== 'create') return req.operation;
  const check = match.spec.existenceCheck;
  if (!check) return 'update';
  const fields = parseFields(match.spec.fields, requestData(req, match));
  return (await check(req, fields)) ? 'update' : 'create';
}

/**
 * Runs the operation's handler. `create` falls back to the `update` handler when none is declared. Not `async`: it
 * hands back the handler's own promise (a refusal before the handler runs is thrown, which every caller awaits in
 * an async function, so it arrives as the same rejection).
 */
export function runEngineOperation(req: EngineRequest, match: PathMatch): Promise<EngineResponse | null> {
  if (req.operation === 'help') return Promise.resolve(helpResponse(pathHelp(match.spec, req.path)));
  const ops = match.spec.operations;
  const handler = req.operation === 'create' ? (ops.create ?? ops.update) : ops[req.operation];
  if (!handler) throw unsupportedOperation();
  const fields = parseFields(match.spec.fields, requestData(req, match));
  return handler(req, fields);
}

/** `?help=1` answers `{"help": "<markdown>"}` outside the envelope, as Vault does (node-vault's `help()` reads it). */
export function helpResponse(markdown: string): EngineResponse {
  return { raw: { status: 200, contentType: 'application/json', body: JSON.stringify({ help: markdown }) } };
}
