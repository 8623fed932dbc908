/**
 * The UI's actions while the chat session's code is still loading: the first screen is drawn before it arrives, and a
 * click or a keystroke in that moment (Send, a draft, New chat) must not be lost. Each call waits for the session and
 * is then made on it, in the order the calls came. If the session never comes, the page has already said so in an
 * alert (main.ts), and the calls stay unanswered.
 */
import type { ChatActions } from './app-state.js';

type AnyAction = (...args: unknown[]) => unknown;

export function deferredActions(session: Promise<ChatActions>): ChatActions {
  const forward = (name: string) => {
    return (...args: unknown[]) =>
      session.then((actions) => (actions[name as keyof ChatActions] as AnyAction).apply(actions, args));
  };
  return new Proxy({} as ChatActions, {
    // Only method names: `then` must stay undefined, or anything awaiting this object would take it for a promise.
    get: (_target, name) => (typeof name === 'string' && name !== 'then' ? forward(name) : undefined),
  });
}
