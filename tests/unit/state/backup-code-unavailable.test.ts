import { expect, test, vi } from 'vitest';
import { BACKUP_CODE_UNAVAILABLE } from '../../../src/state/chat-session.js';
import { numberedAnswers, setup } from './session-setup.js';

// The export and import code is a chunk of its own, loaded on first use: here, as offline before it was cached.
vi.mock('../../../src/storage/backup.js', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

test('Export and Import say so in their outcome when their code cannot be loaded, and change nothing', async () => {
  const { session, saved, repository } = setup(numberedAnswers());
  await session.start();
  await session.send('Hello');
  const before = structuredClone([...repository.messages.values()]);

  // The Backup panel says it: no alert is raised for it.
  const alerts = () => session.getState().alerts.map((alert) => alert.message);
  expect(await session.exportAll()).toEqual({ ok: false, message: BACKUP_CODE_UNAVAILABLE });
  expect(await session.exportConversation(session.getState().activeConversationId!)).toEqual({
    ok: false,
    message: BACKUP_CODE_UNAVAILABLE,
  });
  expect(alerts()).toEqual([]);
  expect(saved).toEqual([]);

  expect(await session.importBackup(new Blob(['{}']))).toEqual({ ok: false, message: BACKUP_CODE_UNAVAILABLE });
  expect(alerts()).toEqual([]);
  expect([...repository.messages.values()]).toEqual(before);
});
