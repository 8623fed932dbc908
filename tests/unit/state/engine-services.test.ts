/**
 * One state channel: the local model service's state and the hosted catalogue view reach the UI through the
 * session's `AppState`, with the engine line re-described whenever either changes.
 */
import { describe, expect, test } from 'vitest';
import type { Settings } from '../../../src/domain/settings.js';
import type { EngineResolver } from '../../../src/engines/types.js';
import type { LocalModelState } from '../../../src/engines/webllm/local-model-state.js';
import type { CatalogueView } from '../../../src/state/app-state.js';
import { ChatSession } from '../../../src/state/chat-session.js';
import type { CatalogueSource } from '../../../src/state/settings-keeper.js';
import { localDraftStore } from '../../../src/storage/drafts.js';
import { MapStorage } from '../fakes/map-storage.js';
import { MemoryRepository } from '../fakes/memory-repository.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';

/** Something that reports changes to its listeners when the test says so. */
class Reporter<T> {
  readonly listeners = new Set<(value: T) => void>();
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  report(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}

const localState = (selectedId: string) => ({ selectedId, catalogue: 'ready' }) as unknown as LocalModelState;

function viewFor(models: string[]): CatalogueView {
  return {
    models: models.map((id) => ({ id, providers: [], live: true })),
    loading: false,
    resolution: { kind: 'unknown' },
  };
}

function sessionWith() {
  const local = new Reporter<LocalModelState>();
  let created: ((service: CatalogueSource) => void) | undefined;
  /** What the engine line says the local engine is: it follows the local model service. */
  let localDetail = 'not prepared';
  const engines: EngineResolver = {
    resolve: async () => new ScriptedEngine([]),
    describe: (settings: Settings) => ({
      engine: settings.engine,
      label: settings.engine === 'local' ? 'This device' : 'Hugging Face API',
      model: settings.hfModel,
      available: true,
      detail: localDetail,
    }),
  };
  const session = new ChatSession({
    repository: new MemoryRepository(),
    engines,
    local,
    catalogues: { onCreated: (listener) => (created = listener) },
    createStreamingWriter: () => ({ update: () => undefined, flush: async () => undefined, dispose: () => undefined }),
    drafts: localDraftStore(new MapStorage().asStorage()),
    requestPersistentStorage: async () => false,
    whenIdle: () => undefined,
  });
  return {
    session,
    local,
    setLocalDetail: (detail: string) => (localDetail = detail),
    createCatalogues: (service: CatalogueSource) => created?.(service),
  };
}

describe('the engines’ services in AppState', () => {
  test('the local model state is null until the service first reports, then follows it', async () => {
    const { session, local, setLocalDetail } = sessionWith();
    await session.start();
    expect(session.getState().local).toBeNull();

    setLocalDetail('Mistral 7B is ready');
    const prepared = localState('Mistral-7B');
    local.report(prepared);
    expect(session.getState().local).toBe(prepared);
    expect(session.getState().engineStatus.detail).toBe('Mistral 7B is ready');
  });

  test('the catalogue view is null until the service exists, then the view for the settings shown', async () => {
    const { session, createCatalogues } = sessionWith();
    await session.start();
    expect(session.getState().catalogue).toBeNull();

    const service = new Reporter<void>();
    const views = new Map<string, CatalogueView>([
      ['huggingface', viewFor(['mistralai/Mistral-7B-Instruct-v0.3'])],
      ['ollama', viewFor(['my-model'])],
    ]);
    createCatalogues({
      subscribe: (listener) => service.subscribe(listener),
      view: (settings) => views.get(settings.provider === 'ollama' ? 'ollama' : 'huggingface')!,
    });
    expect(session.getState().catalogue).toBe(views.get('huggingface'));

    // A look-up finished: the service reports, and the state shows the new view.
    views.set('huggingface', viewFor(['mistralai/Mistral-7B-Instruct-v0.3', 'another/model']));
    service.report();
    expect(session.getState().catalogue).toBe(views.get('huggingface'));

    await session.updateSettings({ provider: 'ollama' });
    expect(session.getState().catalogue).toBe(views.get('ollama'));
  });

  test('a report that changes nothing shown leaves the state as it was', async () => {
    const { session, local } = sessionWith();
    await session.start();
    const prepared = localState('Mistral-7B');
    local.report(prepared);
    const before = session.getState();
    local.report(prepared);
    expect(session.getState()).toBe(before);
  });
});
