import { definePath, type EngineResponse, type Operation } from '../../framework/index.js';

const ROOTS = new Set(['metadata', 'data', 'delete', 'undelete', 'destroy']);

const SUBCOMMAND: Partial<Record<Operation, string>> = {
  create: 'put',
  update: 'put',
  patch: 'patch',
  read: 'get',
  list: 'list',
  delete: 'delete',
};

/**
 * Vault's catch-all for a v2 mount, declared last: anything the real paths did not match (typically a v1-style
 * `secret/foo`) gets a 404 whose only content is a warning pointing at the right API or `kv` subcommand.
 */
export function invalidPath() {
  const handler = async (req: { path: string; operation: Operation }): Promise<EngineResponse> => {
    if (ROOTS.has(req.path)) {
      return { warnings: ['Non-listing operations on the root of a K/V v2 mount are not supported.'], httpStatus: 404 };
    }
    const sub = SUBCOMMAND[req.operation] ?? 'get';
    return {
      warnings: [
        `Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv ${sub}' for this operation.`,
      ],
      httpStatus: 404,
    };
  };
  return definePath({
    pattern: '.*',
    fields: {},
    synopsis: 'Not a valid path of a versioned K/V mount: use data/, metadata/, delete/, undelete/, destroy/ or config.',
    operations: { read: handler, update: handler, patch: handler, delete: handler, list: handler },
  });
}
