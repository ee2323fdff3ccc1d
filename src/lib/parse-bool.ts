/** Go's strconv.ParseBool, which Vault uses for `?list=` and boolean query parameters. Undefined when invalid. */
export function parseGoBool(value: string): boolean | undefined {
  switch (value) {
    case '1': case 't': case 'T': case 'TRUE': case 'true': case 'True':
      return true;
    case '0': case 'f': case 'F': case 'FALSE': case 'false': case 'False':
      return false;
    default:
      return undefined;
  }
}
