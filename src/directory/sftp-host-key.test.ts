// The SFTP server's ed25519 keys: every pair it draws is one ssh2 can read back, despite the
// generator's occasional unreadable pair (mscdex/ssh2 issues 1390 and 1513).
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { readableEd25519Key } from './sftp-server.js';

describe('readableEd25519Key', () => {
  it('draws pairs whose private and public keys ssh2 parses (512 draws: the bare generator fails about one in 170)', () => {
    const unreadable: string[] = [];
    for (let i = 0; i < 512; i++) {
      const pair = readableEd25519Key({ comment: 'district@sis' });
      const priv = ssh2.utils.parseKey(pair.private);
      const pub = ssh2.utils.parseKey(pair.public);
      if (priv instanceof Error) unreadable.push(`private: ${priv.message}`);
      if (pub instanceof Error) unreadable.push(`public: ${pub.message}`);
      else expect(pub.type).toBe('ssh-ed25519');
    }
    expect(unreadable).toEqual([]);
  });
});
