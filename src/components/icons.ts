/**
 * Icons as `svg` templates: decorative (aria-hidden), sized and coloured by the surrounding text (currentColor).
 * The control that holds one always carries its own accessible name.
 */
import { svg, type TemplateResult } from 'lit';

const icon = (paths: TemplateResult<2>): TemplateResult<2> => svg`<svg
  viewBox="0 0 24 24"
  fill="none"
  stroke="currentColor"
  stroke-width="2"
  stroke-linecap="round"
  stroke-linejoin="round"
  aria-hidden="true"
  focusable="false"
>${paths}</svg>`;

export const plusIcon = icon(svg`<path d="M12 5v14M5 12h14" />`);
export const searchIcon = icon(svg`<circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5" />`);
export const pencilIcon = icon(svg`<path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16v4Z" /><path d="m13.5 6.5 4 4" />`);
export const trashIcon = icon(
  svg`<path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />`,
);
export const keyboardIcon = icon(
  svg`<rect x="2" y="5" width="20" height="14" rx="2" /><path d="M6 9h.01M10 9h.01M14 9h.01M18 9h.01M6 13h.01M18 13h.01M10 13h4M8 16h8" />`,
);
export const previousIcon = icon(svg`<path d="m15 18-6-6 6-6" />`);
export const nextIcon = icon(svg`<path d="m9 18 6-6-6-6" />`);
export const menuIcon = icon(svg`<path d="M4 6h16M4 12h16M4 18h16" />`);
export const settingsIcon = icon(
  svg`<path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1" /><circle cx="15" cy="6" r="2" /><circle cx="9" cy="12" r="2" /><circle cx="17" cy="18" r="2" />`,
);
export const paperclipIcon = icon(
  svg`<path d="m21 11.5-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />`,
);
export const fileIcon = icon(svg`<path d="M14 3H6v18h12V7Z" /><path d="M14 3v4h4" />`);
export const sendIcon = icon(svg`<path d="M12 19V5M5 12l7-7 7 7" />`);
export const stopIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><rect
  x="6"
  y="6"
  width="12"
  height="12"
  rx="2"
  fill="currentColor"
/></svg>`;
export const copyIcon = icon(
  svg`<rect x="9" y="9" width="12" height="12" rx="2" /><path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />`,
);
export const regenerateIcon = icon(svg`<path d="M20 11a8 8 0 1 0-2.3 5.7" /><path d="M20 4v7h-7" />`);
export const undoIcon = icon(svg`<path d="M9 14 4 9l5-5" /><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />`);
export const closeIcon = icon(svg`<path d="M18 6 6 18M6 6l12 12" />`);
export const arrowDownIcon = icon(svg`<path d="M12 5v14M5 12l7 7 7-7" />`);
export const eraserIcon = icon(
  svg`<path d="m7 21-4-4a2 2 0 0 1 0-2.8L13.2 4a2 2 0 0 1 2.8 0l4.8 4.8a2 2 0 0 1 0 2.8L11 21" /><path d="M7 21h14M9 11l6 6" />`,
);
export const alertIcon = icon(svg`<circle cx="12" cy="12" r="9" /><path d="M12 8v4M12 16h.01" />`);
export const eyeIcon = icon(
  svg`<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12Z" /><circle cx="12" cy="12" r="3" />`,
);
export const sparkIcon = icon(
  svg`<path d="M12 3v4M12 17v4M3 12h4M17 12h4M5.6 5.6l2.8 2.8M15.6 15.6l2.8 2.8M5.6 18.4l2.8-2.8M15.6 8.4l2.8-2.8" />`,
);
