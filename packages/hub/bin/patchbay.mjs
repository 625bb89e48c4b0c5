#!/usr/bin/env node
// The `patchbay` command: loads the TypeScript sources through tsx, then runs the CLI.
const { register } = await import('tsx/esm/api');
register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
