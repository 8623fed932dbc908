/**
 * The whole of @huggingface/inference this app uses. The hosted engine imports this module dynamically, so the
 * client becomes its own chunk, fetched on first hosted use; a static named re-export lets the bundler keep only
 * `chatCompletionStream` and what it needs (vite.config.ts declares the package free of side effects).
 */
export { chatCompletionStream } from '@huggingface/inference';
