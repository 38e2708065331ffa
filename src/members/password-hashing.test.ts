// Member password hashes: the stored form keeps scrypt at N = 2^14 in `scrypt$salt$hash`; a
// throw-away emulator's cheaper `scrypt:8$…` names its cost; both verify, nothing else does.
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EmulatorCore } from '../emulator.js';
import { hashPassword, PASSWORD_HASHING, passwordHashingOf, passwordMatches } from './members.js';

describe('member password hashing', () => {
  it('stores scrypt$salt$hash at scrypt N = 2^14, r = 8, p = 1 (Node defaults) by default', () => {
    const hash = hashPassword('correct-horse-battery');
    const [scheme, salt, dk] = hash.split('$');
    expect(scheme).toBe('scrypt');
    expect(scryptSync('correct-horse-battery', Buffer.from(salt!, 'base64url'), 32, { N: 16384, r: 8, p: 1 }).toString('base64url')).toBe(dk);
    expect(passwordMatches(hash, 'correct-horse-battery')).toBe(true);
    expect(passwordMatches(hash, 'correct-horse-batterY')).toBe(false);
  });

  it('a throw-away hash names its cost (N = 2^8) and verifies only its own password', () => {
    const hash = hashPassword('teacher-password', 'throwaway');
    const [scheme, salt, dk] = hash.split('$');
    expect(scheme).toBe('scrypt:8');
    expect(scryptSync('teacher-password', Buffer.from(salt!, 'base64url'), 32, { N: 256 }).toString('base64url')).toBe(dk);
    expect(passwordMatches(hash, 'teacher-password')).toBe(true);
    expect(passwordMatches(hash, 'teacher-passwore')).toBe(false);
    // The same bytes read at the stored cost do not match: the cost is part of the hash.
    expect(passwordMatches(hash.replace(/^scrypt:8\$/, 'scrypt$'), 'teacher-password')).toBe(false);
  });

  it('refuses any other scheme or cost, and a missing hash', () => {
    const [, salt] = hashPassword('owner-password', 'throwaway').split('$');
    const cheap = scryptSync('owner-password', Buffer.from(salt!, 'base64url'), 32, { N: 2 }).toString('base64url');
    expect(passwordMatches(`scrypt:1$${salt}$${cheap}`, 'owner-password')).toBe(false);
    expect(passwordMatches(`bcrypt$${salt}$${cheap}`, 'owner-password')).toBe(false);
    expect(passwordMatches('scrypt$$', 'owner-password')).toBe(false);
    expect(passwordMatches(undefined, 'owner-password')).toBe(false);
  });

  it('an emulator hashes for storage unless it is marked throw-away', () => {
    const core = new EmulatorCore();
    expect(passwordHashingOf(core)).toBe('stored');
    core.runtime(PASSWORD_HASHING).mode = 'throwaway';
    expect(passwordHashingOf(core)).toBe('throwaway');
    expect(passwordHashingOf(new EmulatorCore())).toBe('stored');
  });
});
