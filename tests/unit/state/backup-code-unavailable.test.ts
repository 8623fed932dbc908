import { expect, test, vi } from 'vitest';
import { BACKUP_CODE_UNAVAILABLE } from '../../../src/state/chat-controller.js';
import { numberedAnswers, setup } from './controller-setup.js';

// The export and import code is a chunk of its own, loaded on first use: here, as offline before it was cached.
vi.mock('../../../src/storage/backup.js', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

test('Export and Import say so when their code cannot be loaded, and change nothing', async () => {
  const { controller, saved, repository } = setup(numberedAnswers());
  await controller.start();
  await controller.send('Hello');
  const before = structuredClone([...repository.messages.values()]);

  const alerts = () => controller.getState().alerts.map((alert) => alert.message);
  await controller.exportAll();
  expect(alerts()).toEqual([BACKUP_CODE_UNAVAILABLE]);
  expect(saved).toEqual([]);

  controller.dismissAlert(controller.getState().alerts[0]!.id);
  await controller.importBackup(new Blob(['{}']));
  expect(alerts()).toEqual([BACKUP_CODE_UNAVAILABLE]);
  expect([...repository.messages.values()]).toEqual(before);
});
