/**
 * What an alert about a failed reply can offer besides its sentence: a model that is served, for a model the server
 * does not serve (one click switches and asks again), or the model's page, for a gated model whose licence the user
 * has not accepted yet.
 */
import { splitSuffix } from '../domain/providers.js';
import { EngineError } from '../engines/types.js';
import type { AlertAction } from './app-state.js';
import type { Settings } from '../domain/settings.js';

/** A live model to use instead of `failedModel`, from the provider's catalogue; undefined when none is known. */
export type AlternativeModel = (settings: Settings, failedModel: string) => Promise<string | undefined>;

export interface FailedReply {
  /** The settings the reply was asked with. */
  settings: Settings;
  /** The model it was asked of. */
  model: string;
  messageId: string;
}

/** The model's page on the Hub, each path segment encoded: an id is text the user typed. */
export function modelPage(model: string): string {
  return `https://huggingface.co/${splitSuffix(model).id.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The action for `error`, if any. A model that is not served (400 `model_not_supported`, or a 404 for it) gets the
 * closest live model, looked up now (so it may take a moment); a gated model gets a link to accept its licence.
 */
export async function recoveryAction(
  error: unknown,
  failed: FailedReply,
  alternativeModel: AlternativeModel | undefined,
): Promise<AlertAction | undefined> {
  if (!(error instanceof EngineError)) return undefined;
  if (error.kind === 'gated') {
    return {
      kind: 'link',
      label: `Open ${splitSuffix(failed.model).id} on Hugging Face`,
      href: modelPage(failed.model),
    };
  }
  if ((error.kind === 'model-unsupported' || error.kind === 'not-found') && alternativeModel) {
    const model = await alternativeModel(failed.settings, failed.model).catch(() => undefined);
    if (model !== undefined && model !== failed.model) return { kind: 'use-model', model, messageId: failed.messageId };
  }
  return undefined;
}
