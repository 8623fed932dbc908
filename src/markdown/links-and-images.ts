/**
 * How a reply's links and images are written: the marked renderer overrides behind what the page promises about them.
 *
 * - A link goes only to an http(s) or mailto URL (else its text is plain text), opens in a new tab without opener or
 *   Referer, and is followed by its real destination ("(example.com)") unless its text already shows it.
 * - An image never fetches on its own: it is a "Load image from host" button until the user asks; then it is the
 *   `<img>` of the `blob:` URL made for it (remote-image.ts), or, where the host does not allow that, a link to open it
 *   and why. Its description follows the button or link. A stand-in for an image inside a link goes after the link
 *   (and its host), as a button or link inside a link would be two controls in one.
 *
 * The sanitizer checks the result again (sanitize-policy.ts), but only as an allow-list: what is written here is what
 * the reader gets.
 */
import { TextRenderer, type Parser, type Tokens } from 'marked';
import { decodeReferences, escapeHtml, escapeText } from './html-escape.js';
import type { RemoteImageFailure, RemoteImageState } from './remote-image.js';
import { ACTION_ATTRIBUTE, IMAGE_SOURCE_ATTRIBUTE } from './content-actions.js';
import { describeDestination, parseSafeImageUrl, parseSafeLinkUrl, textShowsDestination } from './url-policy.js';

/** What the links and images of one block depend on, and what they leave for the block to know. */
export interface LinkImageState {
  /** Images the user chose to load, by normalized URL, and what became of each. */
  readonly images: ReadonlyMap<string, RemoteImageState>;
  /** Normalized URLs of every image written, stand-in or shown, in order. */
  readonly imageSources: string[];
  /** While a link's text is written: the stand-ins of its images, written after it. */
  standInsAfterLink: string[] | undefined;
}

/** The text a link shows once written: images inside it count for nothing, as they may never be loaded. */
class VisibleTextRenderer extends TextRenderer {
  override image(): string {
    return '';
  }
}
const visibleText = new VisibleTextRenderer();

const WHY_NOT_SHOWN: Record<RemoteImageFailure, string> = {
  unreachable: 'this site does not allow its images to be shown here',
  'not-an-image': 'this address is not an image',
  'too-large': 'this image is too large to show here',
};

const NEW_TAB = 'target="_blank" rel="noopener noreferrer"';

function titleAttribute(title: string | null | undefined): string {
  return title ? ` title="${escapeText(title)}"` : '';
}

export function renderLink(parser: Parser, token: Tokens.Link, state: LinkImageState): string {
  // Autolinks and bare URLs are literal: their references are not resolved, as marked's own renderer does.
  const literal = token.autolink === true;
  const url = parseSafeLinkUrl(literal ? token.href : decodeReferences(token.href));
  const outer = state.standInsAfterLink;
  state.standInsAfterLink = [];
  const text = literal ? escapeHtml(token.text) : parser.parseInline(token.tokens);
  const standIns = state.standInsAfterLink;
  state.standInsAfterLink = outer;
  const after = standIns.map((standIn) => ` ${standIn}`).join('');
  if (!url) return text + after;
  const shownText = parser.parseInline(token.tokens, visibleText);
  const shown = literal ? shownText : decodeReferences(shownText);
  const host = textShowsDestination(shown, url)
    ? ''
    : `<span class="mc-link-host"> (${escapeHtml(describeDestination(url))})</span>`;
  return `<a href="${escapeHtml(url.href)}"${titleAttribute(token.title)} ${NEW_TAB}>${text}</a>${host}${after}`;
}

export function renderImage(parser: Parser, token: Tokens.Image, state: LinkImageState): string {
  const alt = token.tokens ? parser.parseInline(token.tokens, parser.textRenderer) : token.text;
  const url = parseSafeImageUrl(decodeReferences(token.href));
  if (!url) return escapeText(alt);
  state.imageSources.push(url.href);
  const image = state.images.get(url.href);
  if (image?.status === 'loaded' && image.objectUrl.startsWith('blob:')) {
    return (
      `<img src="${escapeHtml(image.objectUrl)}" alt="${escapeText(alt)}"${titleAttribute(token.title)}` +
      ` referrerpolicy="no-referrer" decoding="async">`
    );
  }
  const standIn = imageStandIn(url, image, alt);
  if (!state.standInsAfterLink) return standIn;
  state.standInsAfterLink.push(standIn);
  return escapeText(alt);
}

/** The button that loads an image (saying so while it does), or the link that opens it and why; then its description. */
function imageStandIn(url: URL, image: RemoteImageState | undefined, alt: string): string {
  const host = escapeHtml(url.host);
  let control: string;
  if (image?.status === 'blocked') {
    control =
      `<a href="${escapeHtml(url.href)}" ${NEW_TAB}>Open image from ${host}</a>` +
      `<span class="mc-image-note"> (${WHY_NOT_SHOWN[image.reason]})</span>`;
  } else {
    const loading = image?.status === 'loading';
    control =
      `<button type="button" class="mc-image-placeholder" ${ACTION_ATTRIBUTE}="load-image"` +
      ` ${IMAGE_SOURCE_ATTRIBUTE}="${escapeHtml(url.href)}"${loading ? ' aria-disabled="true"' : ''}>` +
      `${loading ? `Loading image from ${host}…` : `Load image from ${host}`}</button>`;
  }
  const description = alt.trim();
  const caption = description ? ` <span class="mc-image-alt">${escapeText(description)}</span>` : '';
  return `<span class="mc-image">${control}${caption}</span>`;
}
