/**
 * The second step of boot (main.ts draws the first screen, then loads this): open storage, build the chat session
 * and its services, hand the session to <mc-chat-app> once it has read what storage holds, and make sure a
 * streaming reply is written before the page goes away. Everything heavy (the Hugging Face client, WebLLM and its
 * worker) loads later still, on first use; the GPU is probed once the page is idle, not while it starts.
 */
import { createEngineResolver } from './engines/engine-resolver.js';
import type { LazyLocalModelService } from './engines/webllm/lazy-local-model-service.js';
import { localAvailability } from './engines/webllm/local-model-state.js';
import { createConnectivity } from './pwa/connectivity.js';
import { registerServiceWorker } from './pwa/register.js';
import type { CatalogueService } from './state/catalogue-service.js';
import type { AppState } from './state/app-state.js';
import { ChatSession } from './state/chat-session.js';
import { startingSessionSource } from './state/first-screen-state.js';
import { whenIdle } from './state/idle.js';
import type { LazyCatalogueSource } from './state/settings-keeper.js';
import type { SpeedTest } from './engines/webllm/speed-test.js';
import { FirstScreenSnapshotWriter } from './storage/first-screen-snapshot.js';
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

/** The conversations' storage, and whether it outlives this tab (the in-tab fallback does not). */
interface OpenedRepository {
  repository: ChatRepository;
  lasting: boolean;
}

async function openRepository(
  onAlert: (message: string) => void,
  onFatal: (message: string) => void,
): Promise<OpenedRepository> {
  try {
    return {
      repository: await openChatRepository({ onVersionChange: (error) => onAlert(error.userMessage) }),
      lasting: true,
    };
  } catch {
    onAlert(STORAGE_UNAVAILABLE);
  }
  // The private-window fallback loads only where it is needed, not on every first screen.
  try {
    const { MemoryRepository } = await import('./storage/memory-repository.js');
    return { repository: new MemoryRepository(), lasting: false };
  } catch (error) {
    onFatal(FALLBACK_UNAVAILABLE);
    throw error;
  }
}

type LocalPanelEvent = keyof Pick<
  HTMLElementEventMap,
  | 'mc-local-select'
  | 'mc-local-download'
  | 'mc-local-confirm'
  | 'mc-local-cancel'
  | 'mc-local-use-here'
  | 'mc-local-delete'
  | 'mc-local-test-speed'
>;

/**
 * Does what the local model panel asks. The panel is rendered inside Settings, and its events bubble and are
 * composed up to the app element, where they are heard.
 */
function handleLocalPanel(
  target: EventTarget,
  local: LazyLocalModelService,
  session: ChatSession,
  speed: () => Promise<SpeedTest>,
): void {
  const on = <K extends LocalPanelEvent>(type: K, handle: (event: HTMLElementEventMap[K]) => void) =>
    target.addEventListener(type, (event) => handle(event as HTMLElementEventMap[K]));
  on('mc-local-test-speed', () => void speed().then((test) => test.run()));
  on('mc-local-select', (event) => {
    void local.selectModel(event.detail.id);
    void session.updateSettings({ localModel: event.detail.id });
  });
  on('mc-local-download', () => void local.requestDownload());
  on('mc-local-confirm', () => void local.confirmDownload());
  on('mc-local-cancel', () => void local.cancelDownload());
  on('mc-local-use-here', () => void local.useHere());
  on('mc-local-delete', (event) => void local.deleteModel(event.detail.id));
}

/** The speed test of the "This device" panel, created on first use. */
async function createSpeedTest(local: LazyLocalModelService, session: ChatSession): Promise<SpeedTest> {
  const [{ SpeedTest }, { readModelShape }] = await Promise.all([
    import('./engines/webllm/speed-test.js'),
    import('./engines/webllm/model-cache.js'),
  ]);
  return new SpeedTest({
    engine: () => local.engine(session.getState().settings),
    subject: () => {
      const { selectedId, options, gpu } = local.getState();
      const label = options.find((option) => option.id === selectedId)?.label ?? selectedId;
      return { modelId: selectedId, modelLabel: label, adapter: gpu?.available ? gpu.adapter : null };
    },
    shape: (modelId) => readModelShape(modelId),
  });
}

export interface SessionBootOptions {
  app: McChatApp;
  local: LazyLocalModelService;
  /** What the first screen shows: kept on screen until storage has answered in its place. */
  firstScreen: AppState;
  /** The session exists: its actions may be called. */
  onSession: (session: ChatSession) => void;
  /** Nothing can run: the page shows `message` as an alert in place of the app. */
  onFatal: (message: string) => void;
}

export async function startSession({ app, local, firstScreen, onSession, onFatal }: SessionBootOptions): Promise<void> {
  // Storage problems found while opening are shown once the session (and with it the alert list) exists.
  const pendingAlerts: string[] = [];
  const { repository, lasting } = await openRepository((message) => pendingAlerts.push(message), onFatal);
  const catalogues = new LazyCatalogues();
  const session: ChatSession = new ChatSession({
    repository,
    local,
    catalogues,
    engines: createEngineResolver(local, {
      resolution: (settings) => catalogues.current?.resolution(settings) ?? { kind: 'unknown' },
    }),
    alternativeModel: async (settings, failedModel) => (await catalogues.load()).alternativeTo(settings, failedModel),
    createStreamingWriter: (save) =>
      createStreamingWriter(save, { onError: (error) => session.showAlert(userMessageOf(error)) }),
  });
  onSession(session);
  // Storage's answers show as they come (the list first), without "New chat" flashing over the snapshot's title.
  app.source = startingSessionSource(session, firstScreen);

  const connectivity = createConnectivity();
  app.online = connectivity.online;
  connectivity.subscribe((online) => (app.online = online));
  registerServiceWorker({
    onNeedRefresh: (update) => (app.updateReady = update),
    onOfflineReady: () => app.showToast('Ready to work offline'),
  });

  let speedTest: Promise<SpeedTest> | undefined;
  const speed = () => {
    speedTest ??= createSpeedTest(local, session);
    speedTest.catch(() => (speedTest = undefined));
    return speedTest;
  };
  handleLocalPanel(app, local, session, speed);
  let speedShown: Promise<void> | undefined;
  const prepareLocal = () => {
    speedShown ??= speed().then(
      (test) => {
        app.speedTest = test.getState();
        test.subscribe((state) => (app.speedTest = state));
      },
      () => (speedShown = undefined),
    );
    void local.prepare(session.getState().settings.localModel);
  };
  app.addEventListener('mc-settings-open', prepareLocal);
  const catalogueWatch = watchCatalogue(app, catalogues, session);
  const snapshot = keepSnapshot(session, lasting);

  // A closing or hidden tab may never run another task: write the streaming reply (and the snapshot) now.
  const flush = () => {
    void session.flushPending();
    snapshot.writeNow();
  };
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });

  await session.start();
  snapshot.writeNow();
  for (const message of pendingAlerts.splice(0)) session.showAlert(message);
  catalogueWatch.startupDone();
  // The GPU probe (and the model list it is checked against) is not part of the first screen: it runs once idle.
  whenIdle(() => void startLocal(local, session, prepareLocal, catalogueWatch.notTheUsers));
}

/** How long the snapshot may lag the list: a streaming reply changes the list often, and one write a second is cheap. */
const SNAPSHOT_THROTTLE_MS = 1000;

/**
 * Keeps the first-screen snapshot in step with the conversation list, at most once a second. The conversation it
 * records as open is the newest, which is the one `start()` reopens, so the next first screen shows the title the
 * session will show. Storage that keeps nothing past this tab must not leave a snapshot of lost conversations.
 */
function keepSnapshot(session: ChatSession, lasting: boolean): { writeNow(): void } {
  const writer = new FirstScreenSnapshotWriter();
  if (!lasting) {
    writer.clear();
    return { writeNow: () => undefined };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const writeNow = () => {
    clearTimeout(timer);
    timer = undefined;
    const { conversations, ready } = session.getState();
    if (ready) writer.update(conversations, conversations[0]?.id ?? null);
  };
  session.subscribe(() => (timer ??= setTimeout(writeNow, SNAPSHOT_THROTTLE_MS)));
  return { writeNow };
}

/**
 * The catalogue service, created on the first hosted look-up: it is not part of the first screen, and a device in
 * local mode never loads it.
 */
class LazyCatalogues implements LazyCatalogueSource {
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
 * When the hosted model list is looked up: when Settings opens and when the hosted provider changes (at most hourly
 * per list), never in local mode. What it finds reaches the UI through the session's state (`catalogue`).
 */
interface CatalogueWatch {
  /** The settings read at start are shown: later changes are the user's. */
  startupDone(): void;
  /** Makes a change of settings that is not the user's (the switch to hosted on a device that cannot run the model). */
  notTheUsers(change: () => Promise<void>): Promise<void>;
}

function watchCatalogue(app: McChatApp, catalogues: LazyCatalogues, session: ChatSession): CatalogueWatch {
  let shown = session.getState().settings;
  let starting = true;
  let appChanging = 0;
  session.subscribe(({ settings }) => {
    // The settings read at start, and a change the app makes on its own, are not the user's change: nothing leaves
    // this device before Settings opens.
    if (starting || appChanging > 0) shown = settings;
    if (settings === shown) return;
    const switched =
      settings.engine !== shown.engine ||
      settings.endpointUrl !== shown.endpointUrl ||
      settings.provider !== shown.provider;
    shown = settings;
    if (switched) catalogues.refresh(settings);
  });
  app.addEventListener('mc-settings-open', () => catalogues.refresh(session.getState().settings));
  return {
    startupDone: () => (starting = false),
    notTheUsers: async (change) => {
      appChanging++;
      try {
        await change();
      } finally {
        appChanging--;
      }
    },
  };
}

/**
 * Private by default: a device that can run the model starts on it. Without WebGPU (or without a GPU that fits
 * any model) the app switches to the Hugging Face API and says why.
 */
async function startLocal(
  local: LazyLocalModelService,
  chat: ChatSession,
  prepareLocal: () => void,
  notTheUsers: CatalogueWatch['notTheUsers'],
): Promise<void> {
  if (chat.getState().settings.engine !== 'local') return;
  prepareLocal();
  await local.prepare();
  const { available, reason } = localAvailability(local.getState());
  if (available) return;
  await notTheUsers(() => chat.updateSettings({ engine: 'hosted' }));
  chat.showAlert(`${reason} The engine is now set to Hugging Face API: add your token in Settings to chat.`);
}

function userMessageOf(error: unknown): string {
  return error && typeof error === 'object' && 'userMessage' in error && typeof error.userMessage === 'string'
    ? error.userMessage
    : 'The reply could not be saved. Keep this tab open; it will be retried.';
}
