/**
 * Picks the engine for the current settings. Engine code loads on first use only: the hosted engine (and the
 * Hugging Face client it pulls in) the first time a hosted reply is asked for, the local engine the first time the
 * local model is used.
 */
import { type EngineResolver, type EngineStatus, EngineError, type ChatEngine } from './types.js';
import { DEFAULT_HF_MODEL, type Settings } from '../domain/settings.js';
import type { ModelResolution } from '../domain/catalogue.js';
import { chosenModel, splitSuffix } from '../domain/providers.js';

/** What the resolver needs from the local engine's service; it lives behind its own lazily loaded module. */
export interface LocalEngineAccess {
  /** The loaded local engine, or an EngineError that says what to do (download, take the GPU back, …). */
  engine(settings: Settings): Promise<ChatEngine>;
  describe(settings: Settings): EngineStatus;
}

export const HOSTED_ENGINE_LABEL = 'Hugging Face API';

/** What is known of who will answer: the catalogue's word on the model chosen, for the provider chosen. */
export interface ModelCatalogue {
  resolution(settings: Settings): ModelResolution;
}

const SUFFIX_POLICY: Record<string, string> = { fastest: 'the fastest provider', cheapest: 'the cheapest provider' };

/**
 * The engine line for the hosted engine: the model, and who will answer it. An endpoint answers itself; on the
 * router, a `:provider` suffix names it, and otherwise the catalogue does (when it is known) or says nobody will.
 */
export function describeHosted(settings: Settings, resolution: ModelResolution = { kind: 'unknown' }): EngineStatus {
  const model = chosenModel(settings) || DEFAULT_HF_MODEL;
  const status: EngineStatus = { engine: 'hosted', label: `${HOSTED_ENGINE_LABEL} · ${model}`, model, available: true };
  const endpoint = settings.endpointUrl.trim();
  if (endpoint !== '') {
    return {
      ...status,
      detail: URL.canParse(endpoint) ? `via ${new URL(endpoint).host}` : 'Endpoint URL is not a valid address',
    };
  }
  if (resolution.kind === 'not-served')
    return { ...status, available: false, detail: 'not served by any provider now' };
  const { suffix } = splitSuffix(model);
  if (suffix !== undefined) return { ...status, detail: `via ${SUFFIX_POLICY[suffix] ?? suffix}` };
  if (resolution.kind === 'served' && resolution.provider)
    return { ...status, detail: `via ${resolution.provider.provider}` };
  return status;
}

export function createEngineResolver(local: LocalEngineAccess | undefined, catalogue?: ModelCatalogue): EngineResolver {
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
      if (settings.engine === 'local' && local) return local.describe(settings);
      return describeHosted(settings, catalogue?.resolution(settings));
    },
  };
}
