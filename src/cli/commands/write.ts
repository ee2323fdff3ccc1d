import type { CommandSpec } from '../command.js';
import { flagSet } from '../flagsets.js';
import { forceFlag, runDataCommand } from '../write-output.js';

/** `ward write PATH [K=V...]`: PUT with the pairs (or `-`/`@file` JSON) as the body. */
export const writeCommand: CommandSpec = {
  path: ['write'],
  synopsis: 'Write data, configuration, and secrets',
  help: `Usage: ward write [options] PATH [DATA K=V...]

  Writes data to Ward at the given path. The data can be credentials, secrets,
  configuration, or arbitrary data. The specific behavior of this command is
  determined at the thing mounted at the path.

  Data is specified as "key=value" pairs. If the value begins with an "@", then
  it is loaded from a file. If the value is "-", Ward will read the value from
  stdin.

  Persist data in the generic secrets engine:

      $ ward write secret/my-secret foo=bar

  Create a new encryption key in the transit secrets engine:

      $ ward write -f transit/keys/my-key

  Upload a policy from a file on disk:

      $ ward write sys/policy/my-policy policy=@policy.hcl

  Read the value from stdin:

      $ cat my-data.json | ward write secret/my-secret -`,
  flags: flagSet({ format: true, field: true }, forceFlag),
  run: (ctx) => runDataCommand(ctx, (path, data) => ctx.client().write(path, data)),
};
