import { fieldTypeName } from './fields.js';
import type { Engine } from './engine.js';
import type { PathSpec } from './path.js';

/** `path-help` text for one path, generated from its declaration (the layout of Vault's). */
export function pathHelp(spec: PathSpec, requestPath: string): string {
  const lines = [`Request:        ${requestPath}`, `Matching Route: ${spec.regex.source}`, '', spec.synopsis, ''];
  const names = Object.keys(spec.fields).sort();
  if (names.length > 0) {
    lines.push('## PARAMETERS', '');
    for (const name of names) {
      const f = spec.fields[name];
      if (!f) continue;
      lines.push(`    ${name} (${fieldTypeName(f.kind)})`, '');
      if (f.description) lines.push(`        ${f.description}`, '');
      if (f.default !== undefined) lines.push(`        Default: ${JSON.stringify(f.default)}`, '');
    }
  }
  lines.push('## DESCRIPTION', '', spec.help ?? spec.synopsis);
  return `${lines.join('\n')}\n`;
}

/** `path-help` of a whole mount: its help and one line per path. */
export function engineHelp(engine: Engine): string {
  const lines = ['## DESCRIPTION', '', engine.help.trim(), '', '## PATHS', '', 'The following paths are supported by this backend. To view help for', 'any of the paths below, use the help command with any route matching', 'the path pattern. Note that depending on the policy of your auth token,', 'you may or may not be able to access certain paths.', ''];
  for (const spec of engine.paths) lines.push(`    ${spec.regex.source}`, `        ${spec.synopsis}`, '');
  return `${lines.join('\n')}\n`;
}
