import type { CommandSpec } from './command.js';
import { deleteCommand } from './commands/delete.js';
import { kvDeleteCommand } from './commands/kv-delete.js';
import { kvDestroyCommand } from './commands/kv-destroy.js';
import { kvGetCommand } from './commands/kv-get.js';
import { kvListCommand } from './commands/kv-list.js';
import { kvMetadataDeleteCommand } from './commands/kv-metadata-delete.js';
import { kvMetadataGetCommand } from './commands/kv-metadata-get.js';
import { kvMetadataPutCommand } from './commands/kv-metadata-put.js';
import { kvPatchCommand } from './commands/kv-patch.js';
import { kvPutCommand } from './commands/kv-put.js';
import { kvUndeleteCommand } from './commands/kv-undelete.js';
import { listCommand } from './commands/list.js';
import { loginCommand } from './commands/login.js';
import { operatorInitCommand } from './commands/operator-init.js';
import { operatorKeyStatusCommand } from './commands/operator-key-status.js';
import { operatorRotateCommand } from './commands/operator-rotate.js';
import { operatorSealCommand } from './commands/operator-seal.js';
import { operatorUnsealCommand } from './commands/operator-unseal.js';
import { patchCommand } from './commands/patch.js';
import { pathHelpCommand } from './commands/path-help.js';
import { readCommand } from './commands/read.js';
import { secretsDisableCommand } from './commands/secrets-disable.js';
import { secretsEnableCommand } from './commands/secrets-enable.js';
import { secretsListCommand } from './commands/secrets-list.js';
import { secretsMoveCommand } from './commands/secrets-move.js';
import { secretsTuneCommand } from './commands/secrets-tune.js';
import { serverCommand } from './commands/server.js';
import { statusCommand } from './commands/status.js';
import { versionCommand } from './commands/version.js';
import { writeCommand } from './commands/write.js';

/** Every leaf command of the `ward` binary. */
export const COMMANDS: readonly CommandSpec[] = [
  deleteCommand,
  kvDeleteCommand,
  kvDestroyCommand,
  kvGetCommand,
  kvListCommand,
  kvMetadataDeleteCommand,
  kvMetadataGetCommand,
  kvMetadataPutCommand,
  kvPatchCommand,
  kvPutCommand,
  kvUndeleteCommand,
  listCommand,
  loginCommand,
  operatorInitCommand,
  operatorKeyStatusCommand,
  operatorRotateCommand,
  operatorSealCommand,
  operatorUnsealCommand,
  patchCommand,
  pathHelpCommand,
  readCommand,
  secretsDisableCommand,
  secretsEnableCommand,
  secretsListCommand,
  secretsMoveCommand,
  secretsTuneCommand,
  serverCommand,
  statusCommand,
  versionCommand,
  writeCommand,
];

/** Help text of the command groups (`ward kv`, `ward operator`, ...). */
export const GROUPS: Readonly<Record<string, { synopsis: string; help: string }>> = {
  kv: {
    synopsis: 'Interact with Ward\'s Key-Value storage',
    help: `Usage: ward kv <subcommand> [options] [args]

  This command has subcommands for interacting with Ward's key-value store.
  Here are some simple examples, and more detailed examples are available in
  the subcommands or the documentation.

  Create or update the key named "foo" in the "secret" mount with the value
  "bar=baz":

      $ ward kv put -mount=secret foo bar=baz

  Read this value back:

      $ ward kv get -mount=secret foo

  Get metadata for the key:

      $ ward kv metadata get -mount=secret foo

  Please see the individual subcommand help for detailed usage information.`,
  },
  'kv metadata': {
    synopsis: 'Interact with Ward\'s Key-Value storage',
    help: `Usage: ward kv metadata <subcommand> [options] [args]

  This command has subcommands for interacting with the metadata endpoint in
  Ward's key-value store. Here are some simple examples, and more detailed
  examples are available in the subcommands or the documentation.

  Create or update a metadata entry for a key:

      $ ward kv metadata put -mount=secret -max-versions=5 -delete-version-after=3h25m19s foo

  Get the metadata for a key, this provides information about each existing
  version:

      $ ward kv metadata get -mount=secret foo

  Delete a key and all existing versions:

      $ ward kv metadata delete -mount=secret foo

  Please see the individual subcommand help for detailed usage information.`,
  },
  operator: {
    synopsis: 'Perform operator-specific tasks',
    help: `Usage: ward operator <subcommand> [options] [args]

  This command groups subcommands for operators interacting with Ward. Most
  users will not need to interact with these commands. Here are a few
  examples of the operator commands:

  Initialize a new Ward cluster:

      $ ward operator init

  Force a Ward to resign leadership in a cluster:

      $ ward operator step-down

  Rotate Ward's underlying encryption key:

      $ ward operator rotate

  Please see the individual subcommand help for detailed usage information.`,
  },
  secrets: {
    synopsis: 'Interact with secrets engines',
    help: `Usage: ward secrets <subcommand> [options] [args]

  This command groups subcommands for interacting with Ward's secrets engines.
  Each secret engine behaves differently. Please see the documentation for
  more information.

  List all enabled secrets engines:

      $ ward secrets list

  Enable a new secrets engine:

      $ ward secrets enable database

  Please see the individual subcommand help for detailed usage information.`,
  },
};

/** Commands shown first in the top-level help, as Vault's "Common commands". */
export const COMMON = ['read', 'write', 'delete', 'list', 'login', 'server', 'status'];
