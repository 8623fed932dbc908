/// <reference types="vite/client" />

declare module 'virtual:webllm-model-list' {
  import type { ModelRecord } from '@mlc-ai/web-llm';
  const modelList: ModelRecord[];
  export default modelList;
}
