/**
 * Boot, first step: draw the first screen at once, then load the rest. The conversation list and the open
 * conversation's title come from the first-screen snapshot (a small synchronous copy in localStorage), so they are
 * in the first frame, before IndexedDB opens. Storage, the chat session and the services around it are in
 * ./session-boot.ts, loaded right after: its code is not part of the first screen's JavaScript.
 */
import { installScriptUrlPolicy } from './security/trusted-types.js';
import './app/mc-chat-app.js';
import { DEFAULT_SETTINGS } from './domain/settings.js';
import { LazyLocalModelService } from './engines/webllm/lazy-local-model-service.js';
import type { ChatActions } from './state/app-state.js';
import { deferredActions } from './state/deferred-actions.js';
import { firstScreenSource, firstScreenState } from './state/first-screen-state.js';
import { readFirstScreenSnapshot } from './storage/first-screen-snapshot.js';

const APP_UNAVAILABLE = 'The app could not finish loading. Check your connection, then reload the page.';

/** The page says `message` in place of the app: nothing works without the session. */
function showFatal(app: Element & { source: unknown }, message: string): void {
  const alert = Object.assign(document.createElement('p'), { textContent: message });
  alert.setAttribute('role', 'alert');
  // Without a state the app shows its light children: the alert.
  app.source = undefined;
  app.replaceChildren(alert);
}

function boot(): void {
  installScriptUrlPolicy();
  const app = document.querySelector('mc-chat-app');
  if (!app) return;
  let sessionCreated: (session: ChatActions) => void = () => undefined;
  const actionsReady = new Promise<ChatActions>((resolve) => (sessionCreated = resolve));
  // A download started in Settings may fail after Settings is closed: its failure is an alert in the session's list.
  const local = new LazyLocalModelService({
    onLoadFailed: (message) => void actionsReady.then((session) => session.showAlert(message)),
  });
  const firstScreen = firstScreenState(readFirstScreenSnapshot(), local.describe(DEFAULT_SETTINGS));
  app.source = firstScreenSource(firstScreen);
  app.actions = deferredActions(actionsReady);
  // The app renders from its state now: the loading placeholder in index.html is done.
  app.replaceChildren();

  let fatal = false;
  const onFatal = (message: string) => {
    fatal = true;
    showFatal(app, message);
  };
  import('./session-boot.js')
    .then(({ startSession }) =>
      startSession({
        app,
        local,
        firstScreen,
        onFatal,
        onSession: (session) => {
          app.actions = session;
          sessionCreated(session);
        },
      }),
    )
    .catch(() => {
      if (!fatal) showFatal(app, APP_UNAVAILABLE);
    });
}

boot();
