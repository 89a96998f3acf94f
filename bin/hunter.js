#!/usr/bin/env node
// The CLI is a developer tool: it runs the TypeScript sources through tsx, so it always matches the tree.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
