import { kvVersionsCommand } from '../kv-versions-command.js';

/** `ward kv destroy -versions=N KEY`. */
export const kvDestroyCommand = kvVersionsCommand('destroy', {
  synopsis: 'Permanently removes one or more versions in the KV store',
  notOnV1: 'Destroy not supported on KV Version 1',
  help: `Usage: ward kv destroy [options] KEY

  Permanently removes the specified versions' data from the key-value store. If
  no key exists at the path, no action is taken.

  To destroy version 3 of key foo:

      $ ward kv destroy -mount=secret -versions=3 foo`,
});
