/**
 * Boot: build the services, hand them to <mc-chat-app>, and make sure a streaming reply is written before the
 * page goes away. Everything heavy (the Hugging Face client, WebLLM and its worker) loads later, on first use.
 */
import { installScriptUrlPolicy } from './security/trusted-types.js';
import './app/mc-chat-app.js';
import { recommendEngine } from './app/recommendation.js';
import { createEngineResolver } from './engines/engine-resolver.js';
import { LazyLocalModelService } from './engines/webllm/lazy-local-model-service.js';
import { localAvailability } from './engines/webllm/local-model-state.js';
import { createConnectivity } from './pwa/connectivity.js';
import { registerServiceWorker } from './pwa/register.js';
import type { CatalogueService } from './state/catalogue-service.js';
import { ChatController } from './state/chat-controller.js';
import { openChatRepository } from './storage/idb-repository.js';
import { createStreamingWriter } from './storage/streaming-writer.js';
import type { ChatRepository } from './storage/types.js';
import type { Settings } from './domain/settings.js';
import type { McChatApp } from './app/mc-chat-app.js';

const STORAGE_UNAVAILABLE =
  'This browser does not let the app save conversations here (private window or storage turned off), so this chat ' +
  'will be lost when the tab closes. Open the app in a normal window to keep your conversations.';

const FALLBACK_UNAVAILABLE =
  'This browser does not let the app save conversations here, and the app could not load its in-tab storage ' +
  'either. Check your connection, then reload the page.';

async function openRepository(app: Element, onAlert: (message: string) => void): Promise<ChatRepository> {
  try {
    return await openChatRepository({ onVersionChange: (error) => onAlert(error.userMessage) });
  } catch {
    onAlert(STORAGE_UNAVAILABLE);
  }
  // The private-window fallback loads only where it is needed, not on every first screen.
  try {
    const { MemoryRepository } = await import('./storage/memory-repository.js');
    return new MemoryRepository();
  } catch (error) {
    const alert = Object.assign(document.createElement('p'), { textContent: FALLBACK_UNAVAILABLE });
    alert.setAttribute('role', 'alert');
    app.replaceChildren(alert);
    throw error;
  }
}

/** The "This device" panel in Settings: created on first open, fed by the local model service. */
async function mountLocalPanel(
  app: McChatApp,
  local: LazyLocalModelService,
  controller: ChatController,
): Promise<void> {
  const [, { SpeedTest }, { readModelShape }] = await Promise.all([
    import('./components/mc-local-model-panel.js'),
    import('./engines/webllm/speed-test.js'),
    import('./engines/webllm/model-cache.js'),
  ]);
  const panel = document.createElement('mc-local-model-panel');
  panel.state = local.getState();
  local.subscribe((state) => (panel.state = state));
  const speed = new SpeedTest({
    engine: () => local.engine(controller.getState().settings),
    subject: () => {
      const { selectedId, options, gpu } = local.getState();
      const label = options.find((option) => option.id === selectedId)?.label ?? selectedId;
      return { modelId: selectedId, modelLabel: label, adapter: gpu?.available ? gpu.adapter : null };
    },
    shape: (modelId) => readModelShape(modelId),
  });
  panel.speed = speed.getState();
  speed.subscribe((state) => (panel.speed = state));
  panel.addEventListener('mc-local-test-speed', () => void speed.run());
  panel.addEventListener('mc-local-select', (event) => {
    void local.selectModel(event.detail.id);
    void controller.updateSettings({ localModel: event.detail.id });
  });
  panel.addEventListener('mc-local-download', () => void local.requestDownload());
  panel.addEventListener('mc-local-confirm', () => void local.confirmDownload());
  panel.addEventListener('mc-local-cancel', () => void local.cancelDownload());
  panel.addEventListener('mc-local-use-here', () => void local.useHere());
  panel.addEventListener('mc-local-delete', (event) => void local.deleteModel(event.detail.id));
  app.localPanel = panel;
}

async function boot(): Promise<void> {
  installScriptUrlPolicy();
  const app = document.querySelector('mc-chat-app');
  if (!app) return;
  // Storage problems found while opening are shown once the controller (and with it the alert list) exists.
  const pendingAlerts: string[] = [];
  const repository = await openRepository(app, (message) => pendingAlerts.push(message));
  // A download started in Settings may fail after Settings is closed: its failure is also an alert.
  const local = new LazyLocalModelService({ onLoadFailed: (message) => controller.showAlert(message) });
  const catalogues = new LazyCatalogues();
  const controller: ChatController = new ChatController({
    repository,
    engines: createEngineResolver(local, {
      resolution: (settings) => catalogues.current?.resolution(settings) ?? { kind: 'unknown' },
    }),
    alternativeModel: async (settings, failedModel) => (await catalogues.load()).alternativeTo(settings, failedModel),
    createStreamingWriter: (save) =>
      createStreamingWriter(save, { onError: (error) => controller.showAlert(userMessageOf(error)) }),
  });
  app.source = controller;
  app.actions = controller;
  // The app renders from its state now: the loading placeholder in index.html is done.
  app.replaceChildren();

  const connectivity = createConnectivity();
  app.online = connectivity.online;
  connectivity.subscribe((online) => (app.online = online));
  registerServiceWorker({
    onNeedRefresh: (update) => (app.updateReady = update),
    onOfflineReady: () => app.showToast('Ready to work offline'),
  });

  local.subscribe((state) => {
    const { available, reason } = localAvailability(state);
    app.localAvailable = available;
    app.localUnavailableReason = reason;
    app.recommendation = recommendEngine({ available, reason }, state.gpuSummary);
    controller.refreshEngineStatus();
  });
  let panelMounted: Promise<void> | undefined;
  const prepareLocal = () => {
    panelMounted ??= mountLocalPanel(app, local, controller).catch(() =>
      controller.showAlert('The model settings could not be loaded. Check your connection, then reopen Settings.'),
    );
    void local.prepare(controller.getState().settings.localModel);
  };
  app.addEventListener('mc-settings-open', prepareLocal);
  const catalogueWatch = watchCatalogue(app, catalogues, controller);

  // A closing or hidden tab may never run another task: write the streaming reply now.
  const flush = () => void controller.flushPending();
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });

  await controller.start();
  for (const message of pendingAlerts.splice(0)) controller.showAlert(message);
  try {
    if (controller.getState().settings.engine === 'local') await startLocal(local, controller, prepareLocal);
  } finally {
    catalogueWatch.startupDone();
  }
}

/**
 * The catalogue service, created on the first hosted look-up: it is not part of the first screen, and a device in
 * local mode never loads it.
 */
class LazyCatalogues {
  current: CatalogueService | undefined;
  #loading: Promise<CatalogueService> | undefined;
  readonly #created = new Set<(service: CatalogueService) => void>();

  /** Calls `listener` once the service exists. */
  onCreated(listener: (service: CatalogueService) => void): void {
    this.#created.add(listener);
  }

  load(): Promise<CatalogueService> {
    this.#loading ??= import('./state/catalogue-service.js').then(({ CatalogueService }) => {
      const service = new CatalogueService({
        loadAccess: () =>
          import('./state/catalogue-access.js').then(({ createCatalogueAccess }) => createCatalogueAccess()),
      });
      this.current = service;
      for (const listener of this.#created) listener(service);
      return service;
    });
    this.#loading.catch(() => (this.#loading = undefined));
    return this.#loading;
  }

  /** Looks up the list for these settings, in hosted mode only. */
  refresh(settings: Settings): void {
    if (settings.engine !== 'hosted') return;
    this.load().then(
      (service) => service.refresh(settings),
      () => undefined,
    );
  }
}

/**
 * The hosted model list in Settings and in the engine line. It is looked up when Settings opens and when the
 * hosted provider changes (at most hourly per list), never in local mode.
 */
function watchCatalogue(
  app: McChatApp,
  catalogues: LazyCatalogues,
  controller: ChatController,
): { startupDone(): void } {
  const show = () => (app.catalogue = catalogues.current?.view(controller.getState().settings));
  catalogues.onCreated((service) =>
    service.subscribe(() => {
      show();
      controller.refreshEngineStatus();
    }),
  );
  let shown = controller.getState().settings;
  let starting = true;
  controller.subscribe((state) => {
    show();
    const { settings } = state;
    // The settings read at start, and the switch to hosted on a device that cannot run the model, are not the
    // user's change: nothing leaves this device before Settings opens.
    if (starting) shown = settings;
    if (settings === shown) return;
    const switched =
      settings.engine !== shown.engine ||
      settings.endpointUrl !== shown.endpointUrl ||
      settings.provider !== shown.provider;
    shown = settings;
    if (switched) catalogues.refresh(settings);
  });
  app.addEventListener('mc-settings-open', () => catalogues.refresh(controller.getState().settings));
  return { startupDone: () => (starting = false) };
}

/**
 * Private by default: a device that can run the model starts on it. Without WebGPU (or without a GPU that fits
 * any model) the app switches to the Hugging Face API and says why.
 */
async function startLocal(local: LazyLocalModelService, chat: ChatController, prepareLocal: () => void): Promise<void> {
  prepareLocal();
  await local.prepare();
  const { available, reason } = localAvailability(local.getState());
  if (available) return;
  await chat.updateSettings({ engine: 'hosted' });
  chat.showAlert(`${reason} The engine is now set to Hugging Face API: add your token in Settings to chat.`);
}

function userMessageOf(error: unknown): string {
  return error && typeof error === 'object' && 'userMessage' in error && typeof error.userMessage === 'string'
    ? error.userMessage
    : 'The reply could not be saved. Keep this tab open; it will be retried.';
}

void boot();
