// The guided mode's words for the directory sync and conformance steps, and the expected CSV refusal.
import { describe, expect, it } from 'vitest';
import type { LoadedStep } from '../scenario/load.js';
import { expectedRefusal, stepInWords } from './step-words.js';

const step = (name: string, args: unknown, expect?: Record<string, unknown>): LoadedStep => ({ index: 0, line: 1, name: name as LoadedStep['name'], args, ...(expect ? { expect } : {}) });

describe('steps in words', () => {
  it('says what a directory sync does: an upload, a Google group filter, or a plain sync', () => {
    expect(stepInWords(step('directory_sync', { files: { users: 'id,email\n', groups: 'group_id\n' } }))).toBe('The district uploads users.csv and groups.csv, and the directory syncs');
    expect(stepInWords(step('directory_sync', { groups: ['Teachers', 'Students'] }))).toBe('Sync the Google directory, only the members of "Teachers" and "Students"');
    expect(stepInWords(step('directory_sync', {}))).toBe('Sync the directory now');
    expect(stepInWords(step('directory_sync', null))).toBe('Sync the directory now');
  });

  it('says what a conformance check expects, in counts', () => {
    expect(stepInWords(step('expect_conformance', { profile: 'okta-aiw', fail: 1, known_quirk: 2 }))).toBe('Check what the identity provider sent, judged as okta-aiw expects: 1 failure and 2 known quirks');
    expect(stepInWords(step('expect_conformance', {}))).toBe('Check what the identity provider sent, judged as the RFC expects');
  });

  it('explains a refused CSV file as expected', () => {
    expect(expectedRefusal(step('directory_sync', {}, { status: 400, body: { error: { code: 'invalid_csv' } } }))).toBe('the file has a mistake (its line and column are named), so nothing changes');
  });

  it('says permissions as what a member may do, and event types in words', () => {
    expect(stepInWords(step('expect_permissions', { user: 'kim@x.edu', has: { 'canvas.code_execution': true, 'gpts.publish_workspace': false } }))).toBe(
      'Check that kim@x.edu may use canvas code execution and may not publish GPTs to the workspace',
    );
    expect(stepInWords(step('expect_events', { type: 'directory.sync_failed', count: 1 }))).toBe('Check the event log for "directory sync failed" events');
    expect(stepInWords(step('expect_events', { type: 'scim.*' }))).toBe('Check the event log for "scim" events');
  });
});
