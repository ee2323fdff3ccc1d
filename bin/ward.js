#!/usr/bin/env node
// The `ward` binary: the compiled CLI lives in dist/ (npm run build).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 2; },
);
