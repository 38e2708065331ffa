import { describe, expect, it } from 'vitest';
import { engineFlagsFor } from './engine-flags.js';

describe('engineFlagsFor', () => {
  it('stops `run` below the optimizing compilers, for JavaScript and for WebAssembly', () => {
    expect(engineFlagsFor(['run', 'scenarios/'], [], '')).toEqual(['--max-opt=2', '--liftoff-only']);
    expect(engineFlagsFor(['run', 'scenarios/', '--target', 'http://127.0.0.1:4000'], ['--enable-source-maps'], '--max-old-space-size=512')).toEqual(['--max-opt=2', '--liftoff-only']);
  });

  it('leaves every other command with V8 defaults', () => {
    for (const command of ['serve', 'record', 'validate', 'schema', 'conformance', 'export', 'import', '--version']) {
      expect(engineFlagsFor([command, 'run'], [], '')).toEqual([]);
    }
    expect(engineFlagsFor([], [], '')).toEqual([]);
  });

  it("keeps the user's own --max-opt, given to node or in NODE_OPTIONS", () => {
    expect(engineFlagsFor(['run', 'scenarios/'], ['--max-opt=3'], '')).toEqual(['--liftoff-only']);
    expect(engineFlagsFor(['run', 'scenarios/'], ['--max_opt', '999'], '')).toEqual(['--liftoff-only']);
    expect(engineFlagsFor(['run', 'scenarios/'], [], '--enable-source-maps --max-opt=999')).toEqual(['--liftoff-only']);
    expect(engineFlagsFor(['run', 'scenarios/'], ['--max-optimized-thing'], '')).toEqual(['--max-opt=2', '--liftoff-only']);
  });

  it("keeps the user's own WebAssembly tiering, given to node or in NODE_OPTIONS", () => {
    for (const flag of ['--liftoff', '--no-liftoff', '--liftoff-only', '--no-liftoff-only', '--wasm-tier-up', '--no-wasm-tier-up', '--wasm_dynamic_tiering', '--no-wasm-dynamic-tiering']) {
      expect(engineFlagsFor(['run', 'scenarios/'], [flag], '')).toEqual(['--max-opt=2']);
      expect(engineFlagsFor(['run', 'scenarios/'], [], `--enable-source-maps ${flag}`)).toEqual(['--max-opt=2']);
    }
    expect(engineFlagsFor(['run', 'scenarios/'], ['--liftoffish'], '')).toEqual(['--max-opt=2', '--liftoff-only']);
  });
});
