import { describe, expect, it } from 'vitest';
import { engineFlagsFor } from './engine-flags.js';

describe('engineFlagsFor', () => {
  it('stops `run` below the optimizing compiler', () => {
    expect(engineFlagsFor(['run', 'scenarios/'], [], '')).toEqual(['--max-opt=2']);
    expect(engineFlagsFor(['run', 'scenarios/', '--target', 'http://127.0.0.1:4000'], ['--enable-source-maps'], '--max-old-space-size=512')).toEqual(['--max-opt=2']);
  });

  it('leaves every other command with V8 defaults', () => {
    for (const command of ['serve', 'record', 'validate', 'schema', 'conformance', 'export', 'import', '--version']) {
      expect(engineFlagsFor([command, 'run'], [], '')).toEqual([]);
    }
    expect(engineFlagsFor([], [], '')).toEqual([]);
  });

  it("keeps the user's own --max-opt, given to node or in NODE_OPTIONS", () => {
    expect(engineFlagsFor(['run', 'scenarios/'], ['--max-opt=3'], '')).toEqual([]);
    expect(engineFlagsFor(['run', 'scenarios/'], ['--max_opt', '999'], '')).toEqual([]);
    expect(engineFlagsFor(['run', 'scenarios/'], [], '--enable-source-maps --max-opt=999')).toEqual([]);
    expect(engineFlagsFor(['run', 'scenarios/'], ['--max-optimized-thing'], '')).toEqual(['--max-opt=2']);
  });
});
