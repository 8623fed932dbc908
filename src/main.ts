/**
 * Boot: build the services, hand them to <mc-chat-app>, and make sure a streaming reply is written before the
 * page goes away. Everything heavy (the Hugging Face client, WebLLM) loads later, on first use.
 */
import './app/mc-chat-app.js';
import { createEngineResolver } from './engines/engine-resolver.js';
import { ChatController } from './state/chat-controller.js';
import { openChatRepository } from './storage/idb-repository.js';
import { MemoryRepository } from './storage/memory-repository.js';
import { createStreamingWriter } from './storage/streaming-writer.js';
import type { ChatRepository } from './storage/types.js';
import type { StorageError } from './storage/errors.js';

const STORAGE_UNAVAILABLE =
  'This browser does not let the app save conversations here (private window or storage turned off), so this chat ' +
  'will be lost when the tab closes. Open the app in a normal window to keep your conversations.';

async function boot(): Promise<void> {
  let versionChange: StorageError | undefined;
  let repository: ChatRepository;
  let storageFailure: string | undefined;
  try {
    repository = await openChatRepository({
      onVersionChange: (error) => {
        versionChange = error;
        controller.showAlert(error.userMessage);
      },
    });
  } catch {
    repository = new MemoryRepository();
    storageFailure = STORAGE_UNAVAILABLE;
  }

  const controller = new ChatController({
    repository,
    engines: createEngineResolver(undefined),
    createStreamingWriter: (save) =>
      createStreamingWriter(save, { onError: (error) => controller.showAlert(messageOf(error)) }),
  });

  const app = document.querySelector('mc-chat-app');
  if (app) {
    app.source = controller;
    app.actions = controller;
  }

  // A closing or hidden tab may never run another task: write the streaming reply now.
  const flush = () => void controller.flushPending();
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });

  await controller.start();
  if (storageFailure) controller.showAlert(storageFailure);
  if (versionChange) controller.showAlert(versionChange.userMessage);
}

function messageOf(error: unknown): string {
  return error && typeof error === 'object' && 'userMessage' in error && typeof error.userMessage === 'string'
    ? error.userMessage
    : 'The reply could not be saved. Keep this tab open; it will be retried.';
}

void boot();
