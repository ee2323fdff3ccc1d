import type { CommandSpec } from '../command.js';
import { flagSet } from '../flagsets.js';
import { forceFlag, runDataCommand } from '../write-output.js';

/** `ward patch PATH [K=V...]`: a JSON merge patch (HTTP PATCH). */
export const patchCommand: CommandSpec = {
  path: ['patch'],
  synopsis: 'Patch data, configuration, and secrets',
  help: `Usage: ward patch [options] PATH [DATA K=V...]

  Patches data in Ward at the given path. The data can be credentials, secrets,
  configuration, or arbitrary data. The specific behavior of this command is
  determined at the thing mounted at the path.

  Data is specified as "key=value" pairs. If the value begins with an "@", then
  it is loaded from a file. If the value is "-", Ward will read the value from
  stdin.

  Unlike write, patch merges the given data into what is stored; a key set to
  null (with JSON input) is removed.

      $ ward patch pki/roles/example allow_localhost=false`,
  flags: flagSet({ format: true, field: true }, forceFlag),
  run: (ctx) => runDataCommand(ctx, (path, data) => ctx.client().patch(path, data)),
};
