import { describe, expect, test, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings.js';
import type { EngineStatus } from '../../../src/engines/types.js';
import type { ChatActions } from '../../../src/state/app-state.js';
import { deferredActions } from '../../../src/state/deferred-actions.js';
import { firstScreenSource, firstScreenState, startingSessionSource } from '../../../src/state/first-screen-state.js';
import { Store } from '../../../src/state/store.js';

const ENGINE: EngineStatus = { engine: 'local', label: 'This device', model: 'm', available: true };

describe('the first screen state', () => {
  test('shows the snapshot’s list and open conversation, and waits for storage', () => {
    const state = firstScreenState(
      {
        conversations: [
          { id: 'b', title: 'Newest', updatedAt: 20 },
          { id: 'a', title: 'Older', updatedAt: 10 },
        ],
        openConversationId: 'b',
      },
      ENGINE,
    );
    expect(state.conversations.map(({ id, title, updatedAt }) => [id, title, updatedAt])).toEqual([
      ['b', 'Newest', 20],
      ['a', 'Older', 10],
    ]);
    expect(state.activeConversationId).toBe('b');
    expect(state.messages).toEqual([]);
    expect(state.ready).toBe(false);
    expect(state.engineStatus).toBe(ENGINE);
    expect(state.settings).toBe(DEFAULT_SETTINGS);
  });

  test('without a snapshot, is an empty list with no conversation open', () => {
    const state = firstScreenState(null, ENGINE);
    expect(state.conversations).toEqual([]);
    expect(state.activeConversationId).toBeNull();
    expect(state.ready).toBe(false);
  });

  test('its source always gives that state and never calls a listener', () => {
    const state = firstScreenState(null, ENGINE);
    const source = firstScreenSource(state);
    const listener = vi.fn();
    const unsubscribe = source.subscribe(listener);
    expect(source.getState()).toBe(state);
    unsubscribe();
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('the session while it starts', () => {
  const snapshot = {
    conversations: [
      { id: 'b', title: 'Newest', updatedAt: 20 },
      { id: 'a', title: 'Older', updatedAt: 10 },
    ],
    openConversationId: 'b',
  };
  const stored = (id: string, title: string) => ({ id, title, createdAt: 1, updatedAt: 1 });

  test('keeps the snapshot on screen until storage answers, and then shows storage’s answer as it comes', () => {
    const firstScreen = firstScreenState(snapshot, ENGINE);
    const store = new Store(firstScreenState(null, ENGINE));
    const source = startingSessionSource(store, firstScreen);
    const seen: string[] = [];
    source.subscribe((state) =>
      seen.push(`${state.conversations.map(({ title }) => title).join(',')} @${state.activeConversationId}`),
    );
    expect(source.getState().conversations).toBe(firstScreen.conversations);
    expect(source.getState()).toBe(source.getState());

    // The list is read (one conversation is gone since), then the newest one opens, then the session is ready.
    store.update((state) => ({ ...state, conversations: [stored('b', 'Newest, renamed')] }));
    store.update((state) => ({ ...state, activeConversationId: 'b' }));
    store.update((state) => ({ ...state, ready: true }));
    expect(seen).toEqual(['Newest, renamed @b', 'Newest, renamed @b', 'Newest, renamed @b']);
    expect(source.getState()).toBe(store.getState());
  });

  test('does not hold a conversation open that storage no longer has', () => {
    const store = new Store(firstScreenState(null, ENGINE));
    const source = startingSessionSource(store, firstScreenState(snapshot, ENGINE));
    store.update((state) => ({ ...state, conversations: [stored('c', 'Other')] }));
    expect(source.getState().activeConversationId).toBeNull();
    expect(source.getState().conversations.map(({ id }) => id)).toEqual(['c']);
  });
});

describe('deferred actions', () => {
  function recordingSession(calls: string[]): ChatActions {
    // A class instance, like the session: its methods need `this`.
    class Recorder {
      readonly #calls = calls;
      async send(text: string) {
        this.#calls.push(`send ${text}`);
      }
      updateDraft(text: string) {
        this.#calls.push(`draft ${text}`);
      }
    }
    return new Recorder() as unknown as ChatActions;
  }

  test('wait for the session, then call it in order, on the session itself', async () => {
    const calls: string[] = [];
    let arrive: (session: ChatActions) => void = () => undefined;
    const actions = deferredActions(new Promise((resolve) => (arrive = resolve)));
    actions.updateDraft('hel');
    const sent = actions.send('hello');
    await Promise.resolve();
    expect(calls).toEqual([]);
    arrive(recordingSession(calls));
    await sent;
    expect(calls).toEqual(['draft hel', 'send hello']);
  });

  test('are not mistaken for a promise', async () => {
    const actions = deferredActions(Promise.resolve(recordingSession([])));
    expect((actions as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await Promise.resolve(actions)).toBe(actions);
  });
});
