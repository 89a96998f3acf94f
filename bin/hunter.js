#!/usr/bin/env node
// The CLI is a developer tool run from a bundle of src/ that is rebuilt whenever the sources
// change (bin/cliBundle.js), so it always matches the tree and starts quickly.
import { cliEntry } from './cliBundle.js';

const { main } = await import(await cliEntry());
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
