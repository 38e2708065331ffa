// The V8 settings an edu-emulator process picks for its command. Only the bin applies them (to its
// own process); the CLI run in process by a library or a test never changes its host's engine.
import { setFlagsFromString } from 'node:v8';

/**
 * `run` is a batch of short in-process scenarios whose code is hot for a second or two: V8's
 * optimizing compiler (TurboFan, tier 3) spent more CPU compiling it on background threads than it
 * saved (docs/performance.md §7), so `run` stops at the baseline tiers. A `--max-opt` of the
 * user's own (node flag or NODE_OPTIONS) wins; other commands keep V8's defaults.
 */
export function engineFlagsFor(args: readonly string[], execArgv: readonly string[], nodeOptions: string): string[] {
  if (args[0] !== 'run') return [];
  if ([...execArgv, ...nodeOptions.split(/\s+/)].some((flag) => /^--max[-_]opt(=|$)/.test(flag))) return [];
  return ['--max-opt=2'];
}

/** Applies `engineFlagsFor` to this process; answers the flags set. */
export function tuneEngine(args: readonly string[]): string[] {
  const flags = engineFlagsFor(args, process.execArgv, process.env.NODE_OPTIONS ?? '');
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
