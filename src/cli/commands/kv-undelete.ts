import { kvVersionsCommand } from '../kv-versions-command.js';

/** `ward kv undelete -versions=N KEY`. */
export const kvUndeleteCommand = kvVersionsCommand('undelete', {
  synopsis: 'Undeletes versions in the KV store',
  notOnV1: 'Undelete not supported on KV Version 1',
  help: `Usage: ward kv undelete [options] KEY

  Undeletes the data for the provided version and path in the key-value store.
  This restores the data, allowing it to be returned on get requests.

  To undelete version 3 of key "foo":

      $ ward kv undelete -mount=secret -versions=3 foo`,
});
