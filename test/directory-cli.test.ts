// --sftp-port (EMULATOR_SFTP_PORT): parsed and checked like --port, and the port the SFTP server
// listens on when the first SFTP connection starts it.
import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../src/cli/main.js';
import { CliError } from '../src/cli/cli-error.js';
import { startEmulator } from '../src/start.js';

describe('--sftp-port', () => {
  it('takes a port from the flag or the environment, the flag first', () => {
    expect(parseServeArgs(['--sftp-port', '2222'], {}).sftpPort).toBe(2222);
    expect(parseServeArgs([], { EMULATOR_SFTP_PORT: '0' }).sftpPort).toBe(0);
    expect(parseServeArgs(['--sftp-port', '2022'], { EMULATOR_SFTP_PORT: '0' }).sftpPort).toBe(2022);
    expect(parseServeArgs([], {}).sftpPort).toBeUndefined();
  });

  it('refuses a port that is not one, saying what to give', () => {
    expect(() => parseServeArgs(['--sftp-port', 'ssh'], {})).toThrow(CliError);
    expect(() => parseServeArgs(['--sftp-port', '70000'], {})).toThrow(/--sftp-port must be a whole number from 0 to 65535/);
  });

  it('starts the SFTP server on the chosen port with the first SFTP connection', async () => {
    const probe = await startEmulator({ sftpPort: 0 });
    await fetch(`${probe.url}/w/default/api/directory`, { method: 'PUT', headers: { Authorization: `Bearer ${probe.adminKey}`, 'Content-Type': 'application/json' }, body: '{"type":"sftp"}' });
    const free = (await (await fetch(`${probe.url}/w/default/api/directory`, { headers: { Authorization: `Bearer ${probe.adminKey}` } })).json()).sftp.port as number;
    await probe.stop();
    // The port is free again after stop: a second emulator takes it by number.
    const running = await startEmulator({ sftpPort: free });
    try {
      const res = await fetch(`${running.url}/w/default/api/directory`, { method: 'PUT', headers: { Authorization: `Bearer ${running.adminKey}`, 'Content-Type': 'application/json' }, body: '{"type":"sftp"}' });
      expect(((await res.json()) as any).sftp.port).toBe(free);
    } finally {
      await running.stop();
    }
  });
});
