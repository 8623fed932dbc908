import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings.js';
import { NO_WEBGPU_MESSAGE } from '../../../src/engines/webllm/gpu-probe.js';
import type { ActionOutcome } from '../../../src/state/app-state.js';
import { mountApp } from './app-harness.js';
import { MISTRAL_OPTION, appState, localState } from './fixtures.js';

const app = mountApp;
const LOCAL_SETTINGS = { ...DEFAULT_SETTINGS, engine: 'local' as const };

async function openSettings() {
  await userEvent.click(page.getByRole('button', { name: 'Settings' }));
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect.element(dialog).toBeVisible();
  return dialog;
}

/** Chooses `file` in the backup panel's file chooser, as "Import" would. */
function chooseBackupFile(dialog: ReturnType<typeof page.getByRole>, file: File): void {
  const input = dialog.element().querySelector('mc-backup-panel')!.shadowRoot!.querySelector('input')!;
  const files = new DataTransfer();
  files.items.add(file);
  input.files = files.files;
  input.dispatchEvent(new Event('change'));
}

describe('mc-chat-app Settings: the local model', () => {
  it('shows the local model panel from state.local, and why this device cannot run the model', async () => {
    await app(
      appState({
        settings: LOCAL_SETTINGS,
        local: localState({
          gpu: { available: false, reason: 'no-webgpu', message: NO_WEBGPU_MESSAGE },
          gpuSummary: { level: 'unavailable', message: NO_WEBGPU_MESSAGE },
          catalogue: 'ready',
        }),
      }),
    );
    const dialog = await openSettings();
    // The panel's code loads as Settings opens; the element in the dialog upgrades when it arrives.
    await expect.element(dialog.getByRole('combobox', { name: 'Local model' })).toBeVisible();
    await expect
      .element(dialog.getByRole('radio', { name: 'This device' }))
      .toHaveAccessibleDescription(NO_WEBGPU_MESSAGE);
  });

  it("passes the panel's requests out of the app element, and follows the new local state", async () => {
    const { element, source } = await app(
      appState({
        settings: LOCAL_SETTINGS,
        local: localState({ catalogue: 'ready', options: [MISTRAL_OPTION], selectedId: MISTRAL_OPTION.id }),
      }),
    );
    const requests = vi.fn();
    element.addEventListener('mc-local-download', requests);
    const dialog = await openSettings();
    await userEvent.click(dialog.getByRole('button', { name: 'Download model' }));
    expect(requests).toHaveBeenCalledOnce();

    source.set({
      local: localState({
        catalogue: 'ready',
        options: [MISTRAL_OPTION],
        selectedId: MISTRAL_OPTION.id,
        phase: { kind: 'consent', modelId: MISTRAL_OPTION.id, sizeText: 'about 4.3 GB', freeText: null },
      }),
    });
    await expect.element(dialog.getByRole('button', { name: 'Start download' })).toBeVisible();
  });

  it('shows the speed test it is given once the model is on this device, and passes "Test speed" on', async () => {
    const { element } = await app(
      appState({
        settings: LOCAL_SETTINGS,
        local: localState({
          catalogue: 'ready',
          options: [MISTRAL_OPTION],
          selectedId: MISTRAL_OPTION.id,
          cached: [{ id: MISTRAL_OPTION.id, label: MISTRAL_OPTION.label, bytes: 4_300_000_000, sizeText: '4.3 GB' }],
        }),
      }),
    );
    element.speedTest = { running: false, results: [], error: null, report: '' };
    const requests = vi.fn();
    element.addEventListener('mc-local-test-speed', requests);
    const dialog = await openSettings();
    await userEvent.click(dialog.getByRole('button', { name: 'Test speed' }));
    expect(requests).toHaveBeenCalledOnce();
  });
});

describe('mc-chat-app Settings: backup', () => {
  it('measures storage when Settings opens and shows what Export and Import came to', async () => {
    const { actions } = await app();
    const dialog = await openSettings();
    expect(actions.refreshStorageUsage).toHaveBeenCalledOnce();

    const exported = 'Exported 2 conversations. The file is in your downloads.';
    actions.exportAll.mockResolvedValue({ ok: true, message: exported });
    await userEvent.click(dialog.getByRole('button', { name: 'Export', exact: true }));
    expect(actions.exportAll).toHaveBeenCalledOnce();
    await expect.element(dialog.getByText(exported)).toBeVisible();

    const file = new File(['not json'], 'broken.json', { type: 'application/json' });
    const message = 'This file is not a Private Mistral Chat backup: it is not JSON.';
    actions.importBackup.mockResolvedValue({ ok: false, message });
    chooseBackupFile(dialog, file);
    // Shown in the dialog, where it can be seen and heard, instead of behind it.
    await expect.element(dialog.getByRole('alert')).toHaveTextContent(message);
    expect(actions.importBackup).toHaveBeenCalledExactlyOnceWith(file);

    const summary = 'Imported 3 conversations (120 messages).';
    actions.importBackup.mockResolvedValue({ ok: true, message: summary });
    chooseBackupFile(dialog, new File(['{}'], 'backup.json', { type: 'application/json' }));
    await expect.element(dialog.getByText(summary)).toBeVisible();
    await expect.element(dialog.getByRole('alert')).not.toBeInTheDocument();
    expect(actions.dismissAlert).not.toHaveBeenCalled();
  });

  it('neither reports an unrelated alert that arrives during an export as its failure, nor dismisses it', async () => {
    const { actions, source } = await app();
    const dialog = await openSettings();
    const saveFailed = 'The reply could not be saved. Keep this tab open; it will be retried.';
    const exported = 'Exported 2 conversations. The file is in your downloads.';
    let finish: (outcome: ActionOutcome) => void = () => undefined;
    actions.exportAll.mockImplementation(() => new Promise((resolve) => (finish = resolve)));

    await userEvent.click(dialog.getByRole('button', { name: 'Export', exact: true }));
    await expect.element(dialog.getByText('Preparing the backup…')).toBeVisible();
    // A streaming reply's save fails while the backup is being written.
    source.set({ alerts: [{ id: 3, message: saveFailed }] });
    finish({ ok: true, message: exported });

    await expect.element(dialog.getByText(exported)).toBeVisible();
    await expect.element(dialog.getByRole('alert')).not.toBeInTheDocument();
    expect(actions.dismissAlert).not.toHaveBeenCalled();
    await userEvent.keyboard('{Escape}');
    await expect.element(page.getByRole('alert')).toHaveTextContent(saveFailed);
  });

  it('offers the open conversation as Markdown from Settings', async () => {
    const { actions } = await app();
    const saved = 'Saved “Trip to Lisbon” as Markdown. The file is in your downloads.';
    actions.exportConversation.mockResolvedValue({ ok: true, message: saved });
    const dialog = await openSettings();
    await userEvent.click(dialog.getByRole('button', { name: 'Download this conversation as Markdown' }));
    expect(actions.exportConversation).toHaveBeenCalledExactlyOnceWith('c2');
    await expect.element(dialog.getByText(saved)).toBeVisible();
  });
});
