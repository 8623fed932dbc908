/**
 * What Settings says about each provider: an example address, which key it takes, and how to let this site's origin
 * call its server (CORS). Only Settings shows it, so it is not part of the first screen.
 */
import type { ProviderId } from '../domain/providers.js';

export interface ProviderAdvice {
  /** What Endpoint URL shows while it is empty. */
  placeholder: string;
  /** One sentence: which key, and where to get it. */
  keyHint: string;
  /** One sentence: how to let this site's origin call the server, `{origin}` standing for it; '' for nothing. */
  corsHint: string;
}

export const PROVIDER_ADVICE: Record<ProviderId, ProviderAdvice> = {
  huggingface: {
    placeholder: 'Empty = Hugging Face router',
    keyHint: 'Uses your Hugging Face token.',
    corsHint: '',
  },
  'hf-endpoint': {
    placeholder: 'https://<name>.endpoints.huggingface.cloud',
    keyHint: 'Uses your Hugging Face token; a key typed here is sent to this endpoint instead.',
    corsHint: '',
  },
  mistral: {
    placeholder: 'https://api.mistral.ai/v1',
    keyHint: 'A key from console.mistral.ai (API Keys). Sent only to api.mistral.ai.',
    corsHint: '',
  },
  ollama: {
    placeholder: 'http://localhost:11434/v1',
    keyHint: 'No key needed.',
    corsHint: 'Start Ollama with OLLAMA_ORIGINS={origin} (e.g. OLLAMA_ORIGINS={origin} ollama serve).',
  },
  lmstudio: {
    placeholder: 'http://localhost:1234/v1',
    keyHint: 'No key needed.',
    corsHint: 'Turn on "Enable CORS" in the Developer tab’s server settings, or start it with lms server start --cors.',
  },
  llamacpp: {
    placeholder: 'http://localhost:8080/v1',
    keyHint: 'Only if llama-server was started with --api-key.',
    corsHint: 'llama-server allows every origin unless started with --cors-origins; then add {origin} to it.',
  },
  vllm: {
    placeholder: 'http://localhost:8000/v1',
    keyHint: 'Only if vllm serve was started with --api-key.',
    corsHint: 'vllm serve allows every origin unless started with --allowed-origins; then add {origin} to it.',
  },
  tgi: {
    placeholder: 'http://localhost:8080/v1',
    keyHint: 'Only if your TGI server sits behind a key.',
    corsHint: 'Start text-generation-launcher with --cors-allow-origin {origin}.',
  },
  custom: {
    placeholder: 'https://example.com/v1',
    keyHint: 'Only if the server asks for one.',
    corsHint: 'The server must allow {origin} (CORS).',
  },
};

/** The provider's CORS advice for this page's origin; '' when there is nothing to set. */
export function corsAdvice(id: ProviderId, pageOrigin: string): string {
  return PROVIDER_ADVICE[id].corsHint.replaceAll('{origin}', pageOrigin);
}
