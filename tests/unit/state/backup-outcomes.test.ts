/**
 * Export and import report what they came to as their outcome, not as an alert: an alert raised meanwhile by
 * something else belongs to that thing.
 */
import { describe, expect, test } from 'vitest';
import { errorMessage } from '../../../src/state/alert-board.js';
import { CONVERSATION_GONE } from '../../../src/state/backup-actions.js';
import { STORAGE_MESSAGES, StorageError } from '../../../src/storage/errors.js';
import { createStreamingWriter } from '../../../src/storage/streaming-writer.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { ControlledEngine } from '../fakes/scripted-engine.js';
import { numberedAnswers, setup, until } from './session-setup.js';

/** A repository whose full read (what Export all reads) waits until the test lets it go on. */
class HeldExportRepository extends MemoryRepository {
  exportStarted = false;
  #release: () => void = () => undefined;
  readonly #released = new Promise<void>((resolve) => (this.#release = resolve));

  release(): void {
    this.#release();
  }

  override async readAllConversations() {
    this.exportStarted = true;
    await this.#released;
    return super.readAllConversations();
  }
}

describe('export and import outcomes', () => {
  test("a streaming reply's failed save during an export is its own alert, not the export's failure", async () => {
    const engine = new ControlledEngine();
    const repository = new HeldExportRepository();
    // As main.ts wires it: a save between flushes that fails raises an alert at once.
    const { session } = setup(() => engine, {
      repository,
      createStreamingWriter: (save) =>
        createStreamingWriter(save, { intervalMs: 0, onError: (error) => session.showAlert(errorMessage(error)) }),
    });
    await session.start();
    const sending = session.send('Tell me a long story');
    engine.say('Once');
    await until(() => session.getState().messages.at(-1)?.content === 'Once');

    const exporting = session.exportAll();
    await until(() => repository.exportStarted);
    repository.failNextWrite = new StorageError('quota', STORAGE_MESSAGES.quota);
    engine.say(' upon a time');
    await until(() => session.getState().alerts.length === 1);
    repository.release();

    expect(await exporting).toEqual({ ok: true, message: 'Exported 1 conversation. The file is in your downloads.' });
    expect(session.getState().alerts.map((alert) => alert.message)).toEqual([STORAGE_MESSAGES.quota]);
    engine.end();
    await sending;
    expect(session.getState().alerts.map((alert) => alert.message)).toEqual([STORAGE_MESSAGES.quota]);
  });

  test('a storage failure of the export itself is its outcome, and raises no alert', async () => {
    const repository = new MemoryRepository();
    repository.readAllConversations = () =>
      Promise.reject(new StorageError('unavailable', STORAGE_MESSAGES.unavailable));
    const { session, saved } = setup(numberedAnswers(), { repository });
    await session.start();
    await session.send('Hello');

    expect(await session.exportAll()).toEqual({ ok: false, message: STORAGE_MESSAGES.unavailable });
    expect(session.getState().alerts).toEqual([]);
    expect(saved).toEqual([]);
  });

  test('a conversation that no longer exists is not exported, and the outcome says so', async () => {
    const { session, saved } = setup(numberedAnswers());
    await session.start();
    expect(await session.exportConversation('deleted-meanwhile')).toEqual({ ok: false, message: CONVERSATION_GONE });
    expect(saved).toEqual([]);
  });
});
