import type { CommandSpec } from './command.js';
import { auditDisableCommand } from './commands/audit-disable.js';
import { auditEnableCommand } from './commands/audit-enable.js';
import { auditListCommand } from './commands/audit-list.js';
import { authDisableCommand } from './commands/auth-disable.js';
import { authEnableCommand } from './commands/auth-enable.js';
import { authListCommand } from './commands/auth-list.js';
import { authTuneCommand } from './commands/auth-tune.js';
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
import { leaseLookupCommand } from './commands/lease-lookup.js';
import { leaseRenewCommand } from './commands/lease-renew.js';
import { leaseRevokeCommand } from './commands/lease-revoke.js';
import { listCommand } from './commands/list.js';
import { loginCommand } from './commands/login.js';
import { operatorInitCommand } from './commands/operator-init.js';
import { operatorKeyStatusCommand } from './commands/operator-key-status.js';
import { operatorRotateCommand } from './commands/operator-rotate.js';
import { operatorSealCommand } from './commands/operator-seal.js';
import { operatorUnsealCommand } from './commands/operator-unseal.js';
import { patchCommand } from './commands/patch.js';
import { pathHelpCommand } from './commands/path-help.js';
import { policyDeleteCommand } from './commands/policy-delete.js';
import { policyFmtCommand } from './commands/policy-fmt.js';
import { policyListCommand } from './commands/policy-list.js';
import { policyReadCommand } from './commands/policy-read.js';
import { policyWriteCommand } from './commands/policy-write.js';
import { readCommand } from './commands/read.js';
import { secretsDisableCommand } from './commands/secrets-disable.js';
import { secretsEnableCommand } from './commands/secrets-enable.js';
import { secretsListCommand } from './commands/secrets-list.js';
import { secretsMoveCommand } from './commands/secrets-move.js';
import { secretsTuneCommand } from './commands/secrets-tune.js';
import { serverCommand } from './commands/server.js';
import { statusCommand } from './commands/status.js';
import { tokenCapabilitiesCommand } from './commands/token-capabilities.js';
import { tokenCreateCommand } from './commands/token-create.js';
import { tokenLookupCommand } from './commands/token-lookup.js';
import { tokenRenewCommand } from './commands/token-renew.js';
import { tokenRevokeCommand } from './commands/token-revoke.js';
import { unwrapCommand } from './commands/unwrap.js';
import { versionCommand } from './commands/version.js';
import { writeCommand } from './commands/write.js';

/** Every leaf command of the `ward` binary. */
export const COMMANDS: readonly CommandSpec[] = [
  auditDisableCommand,
  auditEnableCommand,
  auditListCommand,
  authDisableCommand,
  authEnableCommand,
  authListCommand,
  authTuneCommand,
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
  leaseLookupCommand,
  leaseRenewCommand,
  leaseRevokeCommand,
  listCommand,
  loginCommand,
  operatorInitCommand,
  operatorKeyStatusCommand,
  operatorRotateCommand,
  operatorSealCommand,
  operatorUnsealCommand,
  patchCommand,
  pathHelpCommand,
  policyDeleteCommand,
  policyFmtCommand,
  policyListCommand,
  policyReadCommand,
  policyWriteCommand,
  readCommand,
  secretsDisableCommand,
  secretsEnableCommand,
  secretsListCommand,
  secretsMoveCommand,
  secretsTuneCommand,
  serverCommand,
  statusCommand,
  tokenCapabilitiesCommand,
  tokenCreateCommand,
  tokenLookupCommand,
  tokenRenewCommand,
  tokenRevokeCommand,
  unwrapCommand,
  versionCommand,
  writeCommand,
];

/** Help text of the command groups (`ward kv`, `ward operator`, ...). */
export const GROUPS: Readonly<Record<string, { synopsis: string; help: string }>> = {
  audit: {
    synopsis: 'Interact with audit devices',
    help: `Usage: ward audit <subcommand> [options] [args]

  This command groups subcommands for interacting with Ward's audit devices.
  Users can list, enable, and disable audit devices.

  *NOTE*: Once an audit device has been enabled, failure to audit could prevent
  Ward from servicing future requests. It is highly recommended that you enable
  multiple audit devices.

  List all enabled audit devices:

      $ ward audit list

  Enable a new audit device "file";

       $ ward audit enable file file_path=/var/log/audit.log

  Please see the individual subcommand help for detailed usage information.`,
  },
  auth: {
    synopsis: 'Interact with auth methods',
    help: `Usage: ward auth <subcommand> [options] [args]

  This command groups subcommands for interacting with Ward's auth methods.
  Users can list, enable, disable, and tune different auth methods.

  To authenticate to Ward as a user or machine, use the "ward login" command
  instead. This command is for interacting with the auth methods themselves, not
  authenticating to Ward.

  List all enabled auth methods:

      $ ward auth list

  Enable a new auth method "userpass";

      $ ward auth enable userpass

  Please see the individual subcommand help for detailed usage information.`,
  },
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
  lease: {
    synopsis: 'Interact with leases',
    help: `Usage: ward lease <subcommand> [options] [args]

  This command groups subcommands for interacting with leases. Users can revoke
  or renew leases.

  Renew a lease:

      $ ward lease renew database/creds/readonly/2f6a614c...

  Revoke a lease:

      $ ward lease revoke database/creds/readonly/2f6a614c...`,
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
  policy: {
    synopsis: 'Interact with policies',
    help: `Usage: ward policy <subcommand> [options] [args]

  This command groups subcommands for interacting with policies.
  Users can write, read, and list policies in Ward.

  List all enabled policies:

      $ ward policy list

  Create a policy named "my-policy" from contents on local disk:

      $ ward policy write my-policy ./my-policy.hcl

  Delete the policy named my-policy:

      $ ward policy delete my-policy

  Please see the individual subcommand help for detailed usage information.`,
  },
  token: {
    synopsis: 'Interact with tokens',
    help: `Usage: ward token <subcommand> [options] [args]

  This command groups subcommands for interacting with tokens. Users can
  create, lookup, renew, and revoke tokens.

  Create a new token:

      $ ward token create

  Revoke a token:

      $ ward token revoke 96ddf4bc-d217-f3ba-f9bd-017055595017

  Renew a token:

      $ ward token renew 96ddf4bc-d217-f3ba-f9bd-017055595017

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
export const COMMON = ['read', 'write', 'delete', 'list', 'login', 'server', 'status', 'unwrap'];
