#!/usr/bin/env node
// The edu-emulator command: runs the compiled CLI (npm ci builds it through `prepare`).
import { main } from '../dist/cli/main.js';
import { tuneEngine } from '../dist/cli/engine-flags.js';

const args = process.argv.slice(2);
tuneEngine(args);
const code = await main(args);
if (code !== undefined) process.exitCode = code;
