/**
 * The attributes by which rendered content asks mc-markdown to act (load an image, copy code, show all): written by
 * the renderers, allowed by the sanitizer, read by the element's click handler. Pure, so the renderers stay pure.
 */
export const ACTION_ATTRIBUTE = 'data-mc-action';
export const IMAGE_SOURCE_ATTRIBUTE = 'data-mc-src';
export const CODE_INDEX_ATTRIBUTE = 'data-mc-index';
export type ContentAction = 'load-image' | 'copy-code' | 'show-all';
export const CONTENT_ACTIONS: ReadonlySet<string> = new Set<ContentAction>(['load-image', 'copy-code', 'show-all']);
