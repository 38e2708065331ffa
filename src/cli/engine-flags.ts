// The V8 settings an edu-emulator process picks for its command. Only the bin applies them (to its
// own process); the CLI run in process by a library or a test never changes its host's engine.
import { setFlagsFromString } from 'node:v8';

/**
 * `run` is a batch of short in-process scenarios whose code is hot for a second or two: V8's
 * optimizing compilers cost more CPU on background threads than they save there
 * (docs/performance.md §7). TurboFan (tier 3) compiled the hottest JavaScript, so `run` stops at
 * the baseline tiers (`--max-opt=2`); and it recompiled the hottest functions of the SAML schema
 * validator's WebAssembly (libxml2), so WebAssembly stays on its baseline compiler
 * (`--liftoff-only`). Each is left out when the user gave node a flag of the same family (node
 * flag or NODE_OPTIONS); other commands keep V8's defaults.
 */
export function engineFlagsFor(args: readonly string[], execArgv: readonly string[], nodeOptions: string): string[] {
  if (args[0] !== 'run') return [];
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  const userSets = (family: RegExp) => given.some((flag) => family.test(flag));
  const flags: string[] = [];
  if (!userSets(/^--max[-_]opt(=|$)/)) flags.push('--max-opt=2');
  if (!userSets(/^--(no[-_])?(liftoff|wasm[-_]tier[-_]up|wasm[-_]dynamic[-_]tiering)([-_]only)?(=|$)/)) flags.push('--liftoff-only');
  return flags;
}

/** Applies `engineFlagsFor` to this process; answers the flags set. */
export function tuneEngine(args: readonly string[]): string[] {
  const flags = engineFlagsFor(args, process.execArgv, process.env.NODE_OPTIONS ?? '');
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
