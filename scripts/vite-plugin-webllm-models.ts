import type { Plugin } from 'vite';

export const WEBLLM_MODEL_LIST_ID = 'virtual:webllm-model-list';
const RESOLVED_ID = `\0${WEBLLM_MODEL_LIST_ID}`;

/**
 * Serves WebLLM's `prebuiltAppConfig.model_list` as a small JSON module, read from the installed package at build
 * time. The settings panel needs the catalogue (ids, sizes, GPU needs) long before the model runs; importing the
 * package in the page for it would fetch ~2 MB gzipped. Reading it here keeps it in step with the package version.
 */
export function webllmModelList(): Plugin {
  return {
    name: 'webllm-model-list',
    resolveId(id) {
      return id === WEBLLM_MODEL_LIST_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
      return `export default ${JSON.stringify(prebuiltAppConfig.model_list)};`;
    },
  };
}
