/**
 * Picks the engine for the current settings. Engine code loads on first use only: the hosted engine (and the
 * Hugging Face client it pulls in) the first time a hosted reply is asked for, the local engine the first time the
 * local model is used.
 */
import type { EngineResolver } from '../state/chat-controller.js';
import type { EngineStatus } from '../state/app-state.js';
import { DEFAULT_HF_MODEL, type Settings } from '../state/types.js';
import { chosenModel } from './hf/providers.js';
import { EngineError, type ChatEngine } from './types.js';

/** What the resolver needs from the local engine's service; it lives behind its own lazily loaded module. */
export interface LocalEngineAccess {
  /** The loaded local engine, or an EngineError that says what to do (download, take the GPU back, …). */
  engine(settings: Settings): Promise<ChatEngine>;
  describe(settings: Settings): EngineStatus;
}

export const HOSTED_ENGINE_LABEL = 'Hugging Face API';

export function describeHosted(settings: Settings): EngineStatus {
  const model = chosenModel(settings) || DEFAULT_HF_MODEL;
  return {
    engine: 'hosted',
    label: `${HOSTED_ENGINE_LABEL} · ${model}`,
    model,
    available: true,
    ...endpointDetail(settings),
  };
}

function endpointDetail(settings: Settings): { detail?: string } {
  const endpoint = settings.endpointUrl.trim();
  if (endpoint === '') return {};
  try {
    return { detail: `via ${new URL(endpoint).host}` };
  } catch {
    return { detail: 'Endpoint URL is not a valid address' };
  }
}

export function createEngineResolver(local: LocalEngineAccess | undefined): EngineResolver {
  return {
    async resolve(settings) {
      if (settings.engine === 'local') {
        if (!local) {
          throw new EngineError(
            'webgpu-unavailable',
            'This device cannot run the model in the browser. Switch the engine to Hugging Face API in Settings.',
          );
        }
        return local.engine(settings);
      }
      const { createHostedEngine } = await import('./hf/hosted-engine.js');
      return createHostedEngine({
        hfToken: settings.hfToken,
        model: chosenModel(settings),
        endpointUrl: settings.endpointUrl,
        provider: settings.provider,
        endpointKeys: settings.endpointKeys,
      });
    },
    describe(settings) {
      return settings.engine === 'local' && local ? local.describe(settings) : describeHosted(settings);
    },
  };
}
