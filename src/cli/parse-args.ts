// The commands' flag parsing: node:util parseArgs, strict, with its refusal turned into a CliError
// that points at `edu-emulator --help`.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.js';

/** parseArgs(config) (pass `strict: true`); an unknown or malformed flag is a CliError (exit 2). */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new CliError(`${(e as Error).message.replace(/\.$/, '')}. Run "edu-emulator --help" for the options.`);
  }
}
