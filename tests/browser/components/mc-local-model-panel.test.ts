import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-local-model-panel.js';
import type { McLocalModelPanel } from '../../../src/components/mc-local-model-panel.js';
import type { GpuLockResult, HeldGpu } from '../../../src/engines/webllm/gpu-lock.js';
import { NO_WEBGPU_MESSAGE, type GpuAvailable, type GpuReport } from '../../../src/engines/webllm/gpu-probe.js';
import { LocalEngine } from '../../../src/engines/webllm/local-engine.js';
import { LocalModelService } from '../../../src/engines/webllm/local-model-service.js';
import { listCachedModels } from '../../../src/engines/webllm/model-cache.js';
import { SpeedTest } from '../../../src/engines/webllm/speed-test.js';
import { checkQuota } from '../../../src/engines/webllm/storage-quota.js';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings.js';
import { FakeWebLlmEngine, fakeFactory, type ReloadScript } from '../../unit/webllm/fake-webllm.js';
import { ERRORS, PROGRESS } from '../../unit/webllm/fixtures.js';
import { gpu } from '../../unit/webllm/service-harness.js';
import { focusedElement, mount } from './fixtures.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const Q4F16 = 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC';
const Q4F32 = 'Mistral-7B-Instruct-v0.3-q4f32_1-MLC';
const LLAMA_1B = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';

const NO_F16_GPU = gpu({
  message:
    'WebGPU is ready on AMD Radeon RX 6600, without 16-bit float shaders: the larger q4f32_1 build of Mistral 7B will ' +
    'be used.',
});
const SOFTWARE_GPU: GpuAvailable = {
  ...NO_F16_GPU,
  software: true,
  message:
    'WebGPU runs on a software renderer here, with no real GPU behind it: a model would be far too slow to use. ' +
    'The Hugging Face API is recommended.',
};
const NO_WEBGPU: GpuReport = { available: false, reason: 'no-webgpu', message: NO_WEBGPU_MESSAGE };

interface Scenario {
  gpu?: GpuReport;
  onDisk?: string[];
  /** Models partly on disk, with the weight bytes already there. */
  partial?: Record<string, number>;
  freeBytes?: number;
  /** One script per load attempt, in order. */
  loads?: ReloadScript[];
  heldElsewhere?: boolean;
  /** Whether the browser grants persistent storage. */
  persists?: boolean;
}

/**
 * The panel driven by the real LocalModelService (and the real LocalEngine), wired as the app wires them: state down,
 * events to service calls. Only what lies outside the page is faked: the GPU probe, WebLLM's worker, Cache Storage,
 * the storage estimate and the other tab's GPU lock.
 */
async function scenario({
  gpu = NO_F16_GPU,
  onDisk = [],
  partial = {},
  freeBytes = 100 * GIB,
  loads = [],
  heldElsewhere,
  persists = true,
}: Scenario) {
  const disk = new Set(onDisk);
  const partDisk = new Map(Object.entries(partial));
  const cacheApi = {
    hasModelInCache: async (id: string) => disk.has(id),
    deleteModelAllInfoInCache: async (id: string) => void disk.delete(id),
  };
  const factory = fakeFactory(...loads.map((script) => new FakeWebLlmEngine(script)));
  const lock = { heldElsewhere: heldElsewhere ?? false };
  const held = (): HeldGpu => ({ held: true, release: () => undefined });
  const service = new LocalModelService({
    probeGpu: async () => gpu,
    loadModelList: async () => prebuiltAppConfig.model_list,
    engine: new LocalEngine({ createEngine: factory.create, retryDelayMs: () => 0 }),
    checkQuota: (bytes) => checkQuota(bytes, { estimate: async () => ({ usage: 0, quota: freeBytes }) }),
    requestPersistence: async () => persists,
    acquireGpu: async (): Promise<GpuLockResult> => (lock.heldElsewhere ? { held: false } : held()),
    takeOverGpu: async () => {
      lock.heldElsewhere = false;
      return held();
    },
    isModelCached: (id) => cacheApi.hasModelInCache(id),
    listCachedModels: (options) => listCachedModels(options, cacheApi),
    deleteModel: async (id) => {
      await cacheApi.deleteModelAllInfoInCache(id);
      return partDisk.delete(id) || true;
    },
    listPartialDownloads: async (options) =>
      options
        .filter((option) => partDisk.has(option.id))
        .map((option) => ({ ...option, bytes: option.downloadBytes, storedBytes: partDisk.get(option.id) ?? 0 })),
  });

  const panel = document.createElement('mc-local-model-panel');
  const events: string[] = [];
  const record = (event: Event) => events.push(`${event.type} ${JSON.stringify((event as CustomEvent).detail ?? '')}`);
  service.subscribe((state) => (panel.state = state));
  panel.addEventListener('mc-local-select', (event) => {
    record(event);
    void service.selectModel(event.detail.id);
  });
  panel.addEventListener('mc-local-download', (event) => {
    record(event);
    void service.requestDownload();
  });
  panel.addEventListener('mc-local-confirm', (event) => {
    record(event);
    void service.confirmDownload();
  });
  panel.addEventListener('mc-local-cancel', (event) => {
    record(event);
    void service.cancelDownload();
  });
  panel.addEventListener('mc-local-use-here', (event) => {
    record(event);
    void service.useHere();
  });
  panel.addEventListener('mc-local-delete', (event) => {
    record(event);
    void service.deleteModel(event.detail.id);
  });
  await mount(panel);
  await service.prepare(Q4F16);
  await panel.updateComplete;
  return { panel, service, events, factory, disk };
}

/** The panel with the speed test wired as main.ts wires it, against the fake engine. */
async function withSpeedTest(setup: Scenario) {
  const wired = await scenario(setup);
  const items = new Map<string, string>();
  const speed = new SpeedTest({
    engine: () => wired.service.engine({ ...DEFAULT_SETTINGS, engine: 'local', localModel: Q4F32 }),
    subject: () => ({
      modelId: Q4F32,
      modelLabel: 'Mistral 7B Instruct v0.3 · q4f32_1',
      adapter: { ...NO_F16_GPU.adapter, description: 'NVIDIA GeForce RTX 4070 Laptop GPU' },
    }),
    shape: async () => ({ weightBytes: 4.5e9, kvBytesPerToken: 262_144 }),
    store: {
      load: () => JSON.parse(items.get('results') ?? '[]'),
      save: (results) => void items.set('results', JSON.stringify(results)),
    },
    browser: 'Chrome 131 on Linux',
  });
  wired.panel.speed = speed.getState();
  speed.subscribe((state) => (wired.panel.speed = state));
  wired.panel.addEventListener('mc-local-test-speed', () => void speed.run());
  await wired.panel.updateComplete;
  return { ...wired, speed };
}

async function expectNoAxeViolations(panel: McLocalModelPanel): Promise<void> {
  await panel.updateComplete;
  // Mid-transition (a theme switch, a hover fading out) colours would be measured between their two values.
  await Promise.all(panel.shadowRoot!.getAnimations().map((animation) => animation.finished));
  const results = await axe.run(panel);
  const found = results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(found).toEqual([]);
}

const modelSelect = () => page.getByRole('combobox', { name: 'Local model' });
const downloadButton = () => page.getByRole('button', { name: 'Download model' });
const status = () => page.getByRole('status');

describe('mc-local-model-panel', () => {
  it('offers the models in a combobox "Local model": WebLLM ids, Mistral first, sizes, reasons for disabled ones', async () => {
    const { events, service } = await scenario({});
    const select = modelSelect();
    await expect.element(select).toHaveValue(Q4F32);

    const options = [...(select.element() as HTMLSelectElement).options];
    expect(options.map((option) => option.value).slice(0, 2)).toEqual([Q4F32, Q4F16]);
    expect(options[0]?.text).toMatch(
      /^Mistral 7B Instruct v0\.3 · q4f32_1 \(about \d+\.\d GB download, \d+\.\d GB of GPU memory\)$/,
    );
    expect(options[0]?.disabled).toBe(false);
    expect(options[1]?.disabled).toBe(true);
    expect(options[1]?.text).toMatch(/ — unavailable: This GPU lacks 16-bit float shaders \(shader-f16\)/);

    await userEvent.selectOptions(select, LLAMA_1B);
    expect(events).toEqual([`mc-local-select ${JSON.stringify({ id: LLAMA_1B })}`]);
    expect(service.getState().selectedId).toBe(LLAMA_1B);
    await expect.element(select).toHaveValue(LLAMA_1B);
  });

  it('asks before downloading: size, free space, persistent storage; then shows the "Model download" progressbar', async () => {
    const { events, factory } = await scenario({
      loads: [{ progress: [PROGRESS.start, PROGRESS.fetchQuarter], outcome: 'hang' }],
    });
    await expect.element(status()).toHaveTextContent('Mistral 7B Instruct v0.3 · q4f32_1 is not downloaded yet.');
    await expect.element(downloadButton()).toHaveAccessibleDescription(/GB download.*You confirm before anything/);

    await userEvent.click(downloadButton());
    const consent = page.getByRole('group', { name: 'Download Mistral 7B Instruct v0.3 · q4f32_1?' });
    await expect.element(consent).toBeVisible();
    await expect.element(consent).toHaveTextContent(/Download size\s*about \d+\.\d GB/);
    await expect.element(consent).toHaveTextContent(/Free space for this site\s*100\.0 GB/);
    await expect.element(consent).toHaveTextContent(/ask the browser to keep its storage persistent/);
    expect(factory.engines).toHaveLength(0);

    await userEvent.click(consent.getByRole('button', { name: 'Start download' }));
    const progress = page.getByRole('progressbar', { name: 'Model download' });
    await expect
      .element(progress)
      .toHaveAttribute('aria-valuetext', 'Downloading the model: 973 of 3,892 MB (25 %), about 2 min left');
    await expect.element(progress).toHaveAttribute('value', '25');
    await expect.element(status()).toHaveTextContent('Downloading Mistral 7B Instruct v0.3 · q4f32_1…');
    expect(events).toEqual(['mc-local-download ""', 'mc-local-confirm ""']);
  });

  it('Cancel stops the download and says a later download resumes', async () => {
    const { events } = await scenario({ loads: [{ progress: [PROGRESS.fetchFirst], outcome: 'hang' }] });
    await userEvent.click(downloadButton());
    await userEvent.click(page.getByRole('button', { name: 'Start download' }));
    await expect.element(page.getByRole('progressbar', { name: 'Model download' })).toBeVisible();

    await userEvent.click(page.getByRole('button', { name: 'Cancel' }));
    await expect.element(page.getByRole('progressbar')).not.toBeInTheDocument();
    await expect.element(status()).toHaveTextContent(/Download cancelled\. The parts already downloaded are kept/);
    await expect.element(downloadButton()).toBeEnabled();
    expect(events.at(-1)).toBe('mc-local-cancel ""');
  });

  it('says so when the browser will not keep the download persistent', async () => {
    await scenario({ persists: false, loads: [{ outcome: 'ok' }] });
    const note = page.getByText(/did not promise to keep the model/);
    await userEvent.click(downloadButton());
    await expect.element(note).not.toBeInTheDocument();
    await userEvent.click(page.getByRole('button', { name: 'Start download' }));
    await expect.element(status()).toHaveTextContent(/is loaded and ready on this device/);
    await expect.element(note).toBeVisible();
  });

  it('Cancel on the consent step goes back to Download model', async () => {
    await scenario({});
    await userEvent.click(downloadButton());
    await userEvent.click(page.getByRole('button', { name: 'Cancel' }));
    await expect.element(page.getByRole('group')).not.toBeInTheDocument();
    await expect.element(downloadButton()).toBeVisible();
  });

  it('moves focus to what replaces a pressed button: Start download, then Cancel', async () => {
    await scenario({ loads: [{ outcome: 'hang' }] });
    (downloadButton().element() as HTMLElement).focus();
    await userEvent.keyboard('{Enter}');
    await expect.poll(focusedElement).toBe(page.getByRole('button', { name: 'Start download' }).element());
    await userEvent.keyboard('{Enter}');
    await expect.poll(focusedElement).toBe(page.getByRole('button', { name: 'Cancel' }).element());
  });

  it('marks a model on disk "Ready offline"; Download model then loads it without asking', async () => {
    const { panel } = await scenario({ onDisk: [Q4F32], loads: [{ outcome: 'ok' }] });
    await expect.element(page.getByText('Ready offline', { exact: true })).toBeVisible();
    await expect
      .element(downloadButton())
      .toHaveAccessibleDescription('Loads from this device: nothing is downloaded.');
    await expectNoAxeViolations(panel);

    await userEvent.click(downloadButton());
    await expect
      .element(status())
      .toHaveTextContent('Mistral 7B Instruct v0.3 · q4f32_1 is loaded and ready on this device.');
    await expect.element(page.getByRole('group')).not.toBeInTheDocument();
  });

  it('when another tab holds the GPU, says so and offers Use here', async () => {
    const { events } = await scenario({ onDisk: [Q4F32], heldElsewhere: true, loads: [{ outcome: 'ok' }] });
    await userEvent.click(downloadButton());
    await expect.element(status()).toHaveTextContent('The model is in use in another tab.');

    await userEvent.click(page.getByRole('button', { name: 'Use here' }));
    await expect.element(status()).toHaveTextContent(/is loaded and ready on this device/);
    expect(events.at(-1)).toBe('mc-local-use-here ""');
  });

  it('shows a failure as status text with its next step, not as a second alert', async () => {
    await scenario({ onDisk: [Q4F32], loads: [{ outcome: { error: ERRORS.missingModelLib } }] });
    await userEvent.click(downloadButton());
    await expect.element(status()).toHaveTextContent(/program could not be loaded.*Reload the page/);
    expect(page.getByRole('alert').elements()).toHaveLength(0);
    await expect.element(downloadButton()).toBeEnabled();
  });

  it('too little storage: the message says so and nothing starts', async () => {
    const { factory } = await scenario({ freeBytes: 512 * MIB });
    await userEvent.click(downloadButton());
    await expect.element(status()).toHaveTextContent(/only 512 MB more/);
    await expect.element(page.getByRole('group')).not.toBeInTheDocument();
    expect(factory.engines).toHaveLength(0);
  });

  it('warns about a software GPU, recommending the Hugging Face API', async () => {
    await scenario({ gpu: SOFTWARE_GPU });
    await expect.element(page.getByText(/software renderer.*Hugging Face API is recommended/)).toBeVisible();
    await expect.element(downloadButton()).toBeEnabled();
  });

  it('without WebGPU: says what to do, and nothing can be chosen or downloaded', async () => {
    const { panel } = await scenario({ gpu: NO_WEBGPU });
    await expect.element(page.getByText(NO_WEBGPU_MESSAGE)).toBeVisible();
    await expect.element(downloadButton()).toBeDisabled();
    const options = [...(modelSelect().element() as HTMLSelectElement).options];
    expect(options.every((option) => option.disabled && option.text.includes('unavailable: WebGPU'))).toBe(true);
    await expectNoAxeViolations(panel);
  });

  it('lists the models on disk with their sizes and a "Delete model" button described by the model', async () => {
    const { events, disk } = await scenario({ onDisk: [Q4F32, LLAMA_1B] });
    const list = page.getByRole('list', { name: 'Downloaded models' });
    await expect.element(list).toBeVisible();
    expect(list.getByRole('listitem').elements()).toHaveLength(2);
    const deleteButtons = list.getByRole('button', { name: 'Delete model' });
    expect(deleteButtons.elements()).toHaveLength(2);
    await expect.element(deleteButtons.nth(1)).toHaveAccessibleDescription('Llama 3.2 1B Instruct · q4f32_1');
    await expect.element(list.getByRole('listitem').nth(1)).toHaveTextContent(/Llama 3\.2 1B Instruct · q4f32_1.*MB/);

    await userEvent.click(deleteButtons.nth(1));
    await expect.element(status()).toHaveTextContent('Llama 3.2 1B Instruct · q4f32_1 was deleted from this device.');
    expect(list.getByRole('listitem').elements()).toHaveLength(1);
    expect([...disk]).toEqual([Q4F32]);
    expect(events).toEqual([`mc-local-delete ${JSON.stringify({ id: LLAMA_1B })}`]);
  });

  it('lists an interrupted download with what is already here, and "Delete partial download" removes it', async () => {
    const { events, panel } = await scenario({ onDisk: [LLAMA_1B], partial: { [Q4F32]: 1.5 * GIB } });
    const list = page.getByRole('list', { name: 'Downloaded models' });
    await expect
      .element(list.getByRole('listitem').nth(1))
      .toHaveTextContent(/download not finished.*1\.5 GB of about/);
    const deletePartial = list.getByRole('button', { name: 'Delete partial download' });
    await expect.element(deletePartial).toHaveAccessibleDescription(/Mistral 7B Instruct v0\.3 · q4f32_1/);
    await expectNoAxeViolations(panel);

    await userEvent.click(deletePartial);
    await expect
      .element(status())
      .toHaveTextContent(/^The partial download of Mistral 7B Instruct v0\.3 · q4f32_1 was deleted\.$/);
    expect(list.getByRole('button', { name: 'Delete partial download' }).elements()).toHaveLength(0);
    expect(events).toEqual([`mc-local-delete ${JSON.stringify({ id: Q4F32 })}`]);
  });

  it('"Test speed" appears once the model is on disk, runs the fixed prompt and shows each run beside the earlier ones', async () => {
    const { panel } = await withSpeedTest({
      onDisk: [Q4F32],
      loads: [{ outcome: 'ok' }],
    });
    const testSpeed = page.getByRole('button', { name: 'Test speed' });
    await expect.element(testSpeed).toBeEnabled();
    expect(page.getByRole('button', { name: 'Copy results' }).elements()).toHaveLength(0);

    await userEvent.click(testSpeed);
    const table = page.getByRole('table', { name: 'Speed test results, newest first' });
    await expect.element(table).toBeVisible();
    await expect
      .element(table.getByRole('row').nth(1))
      .toHaveTextContent(/Mistral 7B Instruct v0\.3 · q4f32_1.*0\.38 s.*512\.5.*24\.3.*% reached/);
    await userEvent.click(testSpeed);
    await expect.poll(() => table.getByRole('row').elements().length).toBe(3);
    await expectNoAxeViolations(panel);

    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    await userEvent.click(page.getByRole('button', { name: 'Copy results' }));
    expect(writeText).toHaveBeenCalledOnce();
    expect(writeText.mock.calls[0]?.[0]).toMatch(
      /Run 1 \(latest\)[\s\S]*GPU: NVIDIA GeForce RTX 4070 Laptop GPU[\s\S]*Run 2/,
    );
    await expect.element(page.getByText('The results are on the clipboard.')).toBeVisible();
    writeText.mockRestore();
  });

  it('no "Test speed" while the chosen model is not on this device', async () => {
    await withSpeedTest({});
    await expect.element(downloadButton()).toBeVisible();
    expect(page.getByRole('button', { name: 'Test speed' }).elements()).toHaveLength(0);
  });

  it('has no axe violations while asking, downloading, and in the dark theme', async () => {
    const { panel } = await scenario({
      onDisk: [LLAMA_1B],
      loads: [{ progress: [PROGRESS.start, PROGRESS.fetchQuarter], outcome: 'hang' }],
    });
    await userEvent.click(downloadButton());
    await expect.element(page.getByRole('button', { name: 'Start download' })).toBeVisible();
    await expectNoAxeViolations(panel);

    await userEvent.click(page.getByRole('button', { name: 'Start download' }));
    await expect.element(page.getByRole('progressbar', { name: 'Model download' })).toHaveAttribute('value', '25');
    await expectNoAxeViolations(panel);

    document.documentElement.dataset.theme = 'dark';
    try {
      await expectNoAxeViolations(panel);
    } finally {
      delete document.documentElement.dataset.theme;
    }
  });

  it('before the service has a state: nothing can be chosen or downloaded yet', async () => {
    await mount(document.createElement('mc-local-model-panel'));
    await expect.element(modelSelect()).toBeDisabled();
    await expect.element(downloadButton()).toBeDisabled();
    expect(page.getByRole('progressbar').elements()).toHaveLength(0);
  });
});
