#!/usr/bin/env node
// The edu-emulator command: runs the compiled CLI (npm ci builds it through `prepare`).
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
