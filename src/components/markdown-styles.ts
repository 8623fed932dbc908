import { css } from 'lit';

/** The look of rendered markdown (mc-markdown): blocks, links and their hosts, code, tables, image stand-ins. */
export const markdownStyles = css`
  :host {
    --_muted: var(--mc-color-text-muted, color-mix(in srgb, currentColor 68%, transparent));
    --_border: var(--mc-color-border, color-mix(in srgb, currentColor 22%, transparent));
    --_surface: var(--mc-color-surface-muted, color-mix(in srgb, currentColor 7%, transparent));
    --_mono: var(--mc-font-mono, ui-monospace, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace);
    display: block;
    color: var(--mc-color-text, inherit);
    line-height: var(--mc-line-height, 1.55);
    overflow-wrap: anywhere;
  }
  .block {
    /* Its own paint layer: while a reply streams, a frame repaints the growing block and reuses the others' paint. */
    isolation: isolate;
  }
  .block > :first-child {
    margin-top: 0;
  }
  :host([streaming]) .group:not(:last-child) {
    /*
     * Skipped while off screen (see BLOCKS_PER_GROUP). Only while the reply streams: every group was on screen as it
     * grew, so its size is known when it is skipped, and nothing shifts as the reader scrolls back; a stored reply
     * has groups never shown, whose guessed size would make the page jump where scroll anchoring is missing (Safari).
     */
    content-visibility: auto;
    contain-intrinsic-size: auto 40rem;
    /* The paint containment that comes with it must not cut off focus rings drawn outside a block (Show all). */
    overflow-clip-margin: 8px;
  }
  .group:last-child > .block:last-child > :last-child {
    margin-bottom: 0;
  }
  .block:focus {
    outline: none;
  }
  p,
  ul,
  ol,
  dl,
  blockquote,
  table,
  .mc-code {
    margin: 0 0 0.8em;
  }
  h1,
  h2,
  h3,
  h4,
  h5,
  h6 {
    margin: 1.1em 0 0.5em;
    line-height: var(--mc-line-height-tight, 1.25);
    font-weight: var(--mc-font-weight-bold, 650);
  }
  h1 {
    font-size: 1.5em;
  }
  h2 {
    font-size: 1.3em;
  }
  h3 {
    font-size: 1.15em;
  }
  h4,
  h5,
  h6 {
    font-size: 1em;
  }
  ul,
  ol {
    padding-inline-start: 1.6em;
  }
  li + li,
  li > ul,
  li > ol {
    margin-top: 0.25em;
  }
  li > p {
    margin-bottom: 0.4em;
  }
  li:has(> .mc-task) {
    list-style: none;
  }
  .mc-task::before {
    content: '☐';
    display: inline-block;
    width: 1.1em;
    margin-inline-start: -1.2em;
  }
  .mc-task[aria-checked='true']::before {
    content: '☑';
  }
  hr {
    border: none;
    border-top: 1px solid var(--_border);
    margin: 1.2em 0;
  }
  a {
    color: var(--mc-color-link, LinkText);
    text-underline-offset: 0.15em;
  }
  .mc-link-host {
    color: var(--_muted);
    font-size: 0.85em;
  }
  blockquote {
    margin-inline: 0;
    padding-inline-start: 0.9em;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }
  code,
  kbd,
  samp,
  .mc-raw-html {
    font-family: var(--_mono);
    font-size: 0.9em;
  }
  :not(pre) > code {
    padding: 0.1em 0.35em;
    border-radius: var(--mc-radius-sm, 6px);
    background: var(--_surface);
  }
  .mc-raw-html {
    white-space: pre-wrap;
  }
  .mc-code {
    border: 1px solid var(--_border);
    border-radius: var(--mc-radius-md, 10px);
    background: var(--_surface);
    overflow: hidden;
  }
  .mc-code-bar {
    display: flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.2em 0.35em 0.2em 0.8em;
    border-bottom: 1px solid var(--_border);
    font-size: 0.8em;
    color: var(--_muted);
  }
  .mc-code-language {
    font-family: var(--_mono);
  }
  .mc-copy {
    margin-inline-start: auto;
  }
  .mc-copy[data-copied]::after {
    content: ' ✓';
  }
  .mc-code pre:focus-visible {
    outline: 2px solid var(--mc-color-focus, Highlight);
    outline-offset: -2px;
  }
  .mc-code pre {
    margin: 0;
    padding: 0.75em 0.9em;
    overflow-x: auto;
    line-height: 1.45;
  }
  .mc-code .mc-show-all {
    margin: 0;
    padding: 0 0.9em 0.75em;
  }
  button {
    font: inherit;
    font-size: 0.9em;
    color: inherit;
    padding: 0.25em 0.6em;
    border: 1px solid var(--_border);
    border-radius: var(--mc-radius-sm, 6px);
    background: var(--mc-color-surface, Canvas);
    cursor: pointer;
  }
  button:hover {
    background: var(--_surface);
  }
  button:focus-visible {
    outline: 2px solid var(--mc-color-focus, Highlight);
    outline-offset: 2px;
  }
  table {
    display: block;
    max-width: 100%;
    overflow-x: auto;
    border-collapse: collapse;
  }
  th,
  td {
    padding: 0.35em 0.7em;
    border: 1px solid var(--_border);
    text-align: start;
    vertical-align: top;
  }
  th {
    background: var(--_surface);
    font-weight: 600;
  }
  th[align='center'],
  td[align='center'] {
    text-align: center;
  }
  th[align='right'],
  td[align='right'] {
    text-align: end;
  }
  .mc-image-note {
    color: var(--_muted);
    font-size: 0.9em;
  }
  img {
    max-width: 100%;
    height: auto;
    border-radius: var(--mc-radius-sm, 6px);
  }
  .mc-image-alt {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .notice {
    margin: 0.8em 0 0;
    padding: 0.35em 0.7em;
    border-inline-start: 3px solid var(--mc-color-warning, #b26b00);
    font-size: 0.85em;
    color: var(--_muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .hljs-comment,
  .hljs-quote {
    color: var(--mc-color-code-comment, light-dark(#57606a, #8b949e));
    font-style: italic;
  }
  .hljs-keyword,
  .hljs-selector-tag,
  .hljs-literal,
  .hljs-doctag,
  .hljs-meta .hljs-keyword {
    color: var(--mc-color-code-keyword, light-dark(#cf222e, #ff7b72));
  }
  .hljs-string,
  .hljs-regexp,
  .hljs-meta .hljs-string {
    color: var(--mc-color-code-string, light-dark(#0a3069, #a5d6ff));
  }
  .hljs-number,
  .hljs-symbol,
  .hljs-bullet,
  .hljs-variable,
  .hljs-template-variable,
  .hljs-attr,
  .hljs-attribute {
    color: var(--mc-color-code-number, light-dark(#0550ae, #79c0ff));
  }
  .hljs-title,
  .hljs-section,
  .hljs-name,
  .hljs-selector-id,
  .hljs-selector-class {
    color: var(--mc-color-code-title, light-dark(#8250df, #d2a8ff));
  }
  .hljs-built_in,
  .hljs-type,
  .hljs-title.class_,
  .hljs-meta {
    color: var(--mc-color-code-type, light-dark(#953800, #ffa657));
  }
  .hljs-addition {
    color: light-dark(#116329, #aff5b4);
    background: light-dark(#dafbe1, #033a16);
  }
  .hljs-deletion {
    color: light-dark(#82071e, #ffdcd7);
    background: light-dark(#ffebe9, #67060c);
  }
  .hljs-emphasis {
    font-style: italic;
  }
  .hljs-strong {
    font-weight: 600;
  }
`;
