/**
 * Text to sanitized HTML: the only source of markup the app renders as HTML.
 *
 * - `renderMarkdown` / `createStreamingRenderer`: model replies and any other markdown, as sanitized blocks;
 * - `sanitizeHtml`: the allow-list every rendered block goes through; any new HTML sink must use it too;
 * - `loadHighlighter`: syntax highlighting, loaded on first need;
 * - `fetchRemoteImage`: an image the user asked to see, fetched as data for a `blob:` URL (the CSP allows no other).
 */
export { createStreamingRenderer, renderMarkdown } from './streaming-renderer.js';
export type { RenderedBlock, RenderResult } from './streaming-renderer.js';
export { showBlock } from './growing-block.js';
export { sanitizeHtml } from './sanitize-policy.js';
export { ACTION_ATTRIBUTE, CODE_INDEX_ATTRIBUTE, IMAGE_SOURCE_ATTRIBUTE } from './content-actions.js';
export { getLoadedHighlighter, loadHighlighter } from './highlight.js';
export type { Highlighter } from './highlight.js';
export { LIMITS } from './block-renderer.js';
export { parseSafeImageUrl } from './url-policy.js';
export { fetchRemoteImage } from './remote-image.js';
export type { RemoteImageLoader, RemoteImageOutcome, RemoteImageState } from './remote-image.js';
