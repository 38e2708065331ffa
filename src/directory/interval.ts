// Interval syncs on the emulator clock (docs/directory-sync.md §6): a directory whose next sync is due
// on its workspace's clock syncs when the clock is moved and on a slow real-time tick.
import { ACTOR_SYSTEM, type EmulatorCore } from '../emulator.js';
import { directoryRuntime, nextSyncAt, runSync } from './directory.js';

/** How often real time is checked for due syncs (the emulator clock also moves with real time). */
export const INTERVAL_TICK_MS = 15_000;

/** Runs every interval sync that is due, one workspace after another; failures are in each sync's record. */
export async function runDueSyncs(core: EmulatorCore): Promise<number> {
  let ran = 0;
  for (const ws of Object.values(core.state.workspaces)) {
    const due = nextSyncAt(core, ws);
    if (!due || due.getTime() > core.clockFor(ws.id).nowMs() || directoryRuntime(core).running.has(ws.id)) continue;
    try {
      await runSync(core, ws.id, 'interval', ACTOR_SYSTEM, 'http://127.0.0.1');
      ran++;
    } catch {
      // Busy, or the workspace or its connection changed meanwhile: the next tick looks again.
    }
  }
  return ran;
}
