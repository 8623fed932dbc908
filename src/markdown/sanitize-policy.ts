/**
 * The one allow-list for every HTML sink in the app: model replies (after markdown), user text, imported files,
 * titles. Nothing reaches `unsafeHTML` or `innerHTML` without passing through `sanitizeHtml`.
 *
 * What the policy guarantees about its output:
 * - no script, event handler, style (element or attribute), form, form control, meta, base, link, frame, object,
 *   embed, media, SVG or MathML, and no `id`/`name` (DOM clobbering);
 * - links are http(s) or mailto only, open in a new tab with `rel="noopener noreferrer"`, and are followed by their
 *   real host ("(example.com)") unless their text already shows it;
 * - nothing fetches on its own: an image becomes a "Load image from host" button; an image the user asked for is
 *   fetched as data (remote-image.ts) and becomes an `<img>` whose `src` is the `blob:` URL made for it (`images`),
 *   the only `src` an image can have; a host that does not allow that becomes a link to open the image instead;
 * - nothing takes focus but code blocks (`<pre tabindex="0">`: a long line makes them scroll sideways);
 * - invisible characters that can hide or reorder text are removed, and the result says so.
 *
 * Trusted Types: where the browser has them, the output is TrustedHTML from the one policy this module creates,
 * {@link TRUSTED_TYPES_POLICY_NAME}, whose only way to make HTML is to run this sanitizer. DOMPurify also creates its
 * own policy, 'dompurify', to parse the dirty input into an inert document. A CSP with
 * `require-trusted-types-for 'script'` must therefore allow `trusted-types mc-markdown dompurify lit-html`.
 */
import DOMPurify from 'dompurify';
import type { Config, UponSanitizeAttributeHookEvent, UponSanitizeElementHookEvent } from 'dompurify';
import type { TrustedHTML, TrustedTypesWindow } from 'trusted-types/lib';
import { stripInvisible } from './invisible-unicode.js';
import type { RemoteImageFailure, RemoteImageState } from './remote-image.js';
import { describeDestination, parseSafeImageUrl, parseSafeLinkUrl, textShowsDestination } from './url-policy.js';

export const TRUSTED_TYPES_POLICY_NAME = 'mc-markdown';

export interface SanitizeOptions {
  /**
   * Images the user chose to load, by normalized URL (`URL.href`), and what became of each; every other image stays a
   * "Load image from host" button.
   */
  images?: ReadonlyMap<string, RemoteImageState>;
}

export interface SanitizedHtml {
  /** The sanitized markup: the only kind of string the app may hand to `unsafeHTML`. */
  readonly html: string;
  /** The same markup as TrustedHTML where the browser has Trusted Types (else the string): for `innerHTML`. */
  readonly trusted: TrustedHTML | string;
  /** True when invisible characters were removed, so the UI can say so. */
  readonly hiddenCharactersRemoved: boolean;
  /** Normalized URLs of every image in the output, placeholder or loaded. */
  readonly imageSources: readonly string[];
}

export const ACTION_ATTRIBUTE = 'data-mc-action';
export const IMAGE_SOURCE_ATTRIBUTE = 'data-mc-src';
export const CODE_INDEX_ATTRIBUTE = 'data-mc-index';
export type ContentAction = 'load-image' | 'copy-code' | 'show-all';
const ACTIONS: ReadonlySet<string> = new Set<ContentAction>(['load-image', 'copy-code', 'show-all']);

const ALLOWED_TAGS = [
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'button',
  'caption',
  'code',
  'dd',
  'del',
  'div',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
  'var',
  'wbr',
];
const ALLOWED_TAG_SET: ReadonlySet<string> = new Set(ALLOWED_TAGS);

/** Attributes whose values are not URLs; every other allowed attribute must hold an http(s) or mailto URL. */
const NON_URL_ATTRIBUTES = [
  'align',
  'aria-checked',
  'aria-disabled',
  'aria-label',
  'colspan',
  'decoding',
  'loading',
  'referrerpolicy',
  'rel',
  'role',
  'rowspan',
  'start',
  'tabindex',
  'target',
  'type',
  ACTION_ATTRIBUTE,
  CODE_INDEX_ATTRIBUTE,
];
const ALLOWED_ATTR = ['alt', 'class', 'href', 'src', 'title', IMAGE_SOURCE_ATTRIBUTE, ...NON_URL_ATTRIBUTES];

/**
 * Removed with everything inside them, whatever the allow-list says: code, styles, forms, document metadata, embedded
 * browsing contexts, media that fetches, and the foreign-content namespaces behind most mutation XSS.
 */
const FORBIDDEN_ELEMENTS: ReadonlySet<string> = new Set([
  'applet',
  'audio',
  'base',
  'canvas',
  'dialog',
  'embed',
  'form',
  'frame',
  'frameset',
  'iframe',
  'image',
  'input',
  'link',
  'math',
  'meta',
  'noembed',
  'noframes',
  'noscript',
  'object',
  'option',
  'picture',
  'plaintext',
  'portal',
  'script',
  'select',
  'source',
  'style',
  'svg',
  'template',
  'textarea',
  'title',
  'track',
  'video',
  'xmp',
]);

const FORBIDDEN_ATTRIBUTES = [
  'action',
  'background',
  'dir',
  'formaction',
  'id',
  'name',
  'ping',
  'poster',
  'srcdoc',
  'srcset',
  'style',
  'xlink:href',
];

const NO_IMAGES: ReadonlyMap<string, RemoteImageState> = new Map();

const SAFE_CLASS = /^(?:hljs(?:-[\w-]+)?|[a-z]+_+|language-[\w+#.-]{1,40}|mc-[a-z-]+)$/;
const LINK_HOST_CLASS = 'mc-link-host';
const SMALL_NUMBER = /^\d{1,6}$/;

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ADD_URI_SAFE_ATTR: NON_URL_ATTRIBUTES,
  ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
  ALLOW_ARIA_ATTR: false,
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  FORBID_TAGS: [...FORBIDDEN_ELEMENTS],
  FORBID_ATTR: FORBIDDEN_ATTRIBUTES,
  ADD_FORBID_CONTENTS: [...FORBIDDEN_ELEMENTS],
  KEEP_CONTENT: true,
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: true,
};

/** What one `sanitizeHtml` call learns while DOMPurify walks the tree; hooks are synchronous, so one at a time. */
interface Pass {
  images: ReadonlyMap<string, RemoteImageState>;
  hidden: boolean;
  imageSources: Set<string>;
  /** The host suffixes this pass added; a `mc-link-host` arriving in the input is someone's imitation. */
  linkHosts: WeakSet<Node>;
  /** The "Open image from host" links this pass made: their text names the host already. */
  imageLinks: WeakSet<Node>;
}

let pass: Pass | undefined;

function currentPass(): Pass {
  if (!pass) throw new Error('sanitize hooks ran outside sanitizeHtml');
  return pass;
}

function stripHidden(value: string): string {
  const stripped = stripInvisible(value);
  if (stripped.removed > 0) currentPass().hidden = true;
  return stripped.text;
}

/** The text a reader will see inside `element` once sanitized: text under allowed elements only. */
function visibleText(element: Element): string {
  let text = '';
  for (const child of element.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) text += child.nodeValue ?? '';
    else if (child.nodeType === Node.ELEMENT_NODE && ALLOWED_TAG_SET.has(child.nodeName.toLowerCase())) {
      text += visibleText(child as Element);
    }
  }
  return stripInvisible(text).text;
}

function replaceWithText(element: Element, text: string): void {
  element.replaceWith(element.ownerDocument.createTextNode(text));
}

/** Labels a "Load image from host" button, which says so while the image is being fetched. */
function labelPlaceholder(button: Element, url: URL): void {
  const loading = currentPass().images.get(url.href)?.status === 'loading';
  button.textContent = loading ? `Loading image from ${url.host}…` : `Load image from ${url.host}`;
  if (loading) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
}

/** An image's stand-in (the button, or the link and why), with the image's description after it. */
function imageStandIn(image: Element, ...parts: Node[]): Element {
  const doc = image.ownerDocument;
  const wrapper = doc.createElement('span');
  wrapper.setAttribute('class', 'mc-image');
  wrapper.append(...parts);
  const alt = image.getAttribute('alt')?.trim();
  if (alt) {
    const caption = doc.createElement('span');
    caption.setAttribute('class', 'mc-image-alt');
    caption.textContent = alt;
    wrapper.append(' ', caption);
  }
  return wrapper;
}

function imagePlaceholder(image: Element, url: URL): Element {
  const button = image.ownerDocument.createElement('button');
  button.setAttribute('type', 'button');
  button.setAttribute('class', 'mc-image-placeholder');
  button.setAttribute(ACTION_ATTRIBUTE, 'load-image');
  button.setAttribute(IMAGE_SOURCE_ATTRIBUTE, url.href);
  labelPlaceholder(button, url);
  return imageStandIn(image, button);
}

const WHY_NOT_SHOWN: Record<RemoteImageFailure, string> = {
  unreachable: 'this site does not allow its images to be shown here',
  'not-an-image': 'this address is not an image',
  'too-large': 'this image is too large to show here',
};

/** For an image the app could not fetch or show: a link to open it in a new tab, and why. */
function imageLink(image: Element, url: URL, reason: RemoteImageFailure): Element {
  const doc = image.ownerDocument;
  const link = doc.createElement('a');
  link.setAttribute('href', url.href);
  link.textContent = `Open image from ${url.host}`;
  currentPass().imageLinks.add(link);
  const note = doc.createElement('span');
  note.setAttribute('class', 'mc-image-note');
  note.textContent = ` (${WHY_NOT_SHOWN[reason]})`;
  return imageStandIn(image, link, note);
}

function finishImage(image: Element): void {
  const url = parseSafeImageUrl(image.getAttribute('src') ?? '');
  if (!url) {
    replaceWithText(image, image.getAttribute('alt') ?? '');
    return;
  }
  const { images, imageSources } = currentPass();
  imageSources.add(url.href);
  const state = images.get(url.href);
  if (state?.status === 'loaded' && state.objectUrl.startsWith('blob:')) {
    image.setAttribute('src', state.objectUrl);
    if (!image.hasAttribute('alt')) image.setAttribute('alt', '');
    image.setAttribute('referrerpolicy', 'no-referrer');
    image.setAttribute('decoding', 'async');
    return;
  }
  const standIn = state?.status === 'blocked' ? imageLink(image, url, state.reason) : imagePlaceholder(image, url);
  const link = image.parentElement?.closest('a');
  if (!link) {
    image.replaceWith(standIn);
    return;
  }
  // A button or link inside a link would be two controls in one: the stand-in goes after the link (and its host).
  const next = link.nextElementSibling;
  const after = next && currentPass().linkHosts.has(next) ? next : link;
  after.after(' ', standIn);
  replaceWithText(image, image.getAttribute('alt') ?? '');
}

function finishLink(link: Element): void {
  const url = parseSafeLinkUrl(link.getAttribute('href') ?? '');
  if (!url) {
    link.removeAttribute('href');
    return;
  }
  link.setAttribute('href', url.href);
  link.setAttribute('target', '_blank');
  link.setAttribute('rel', 'noopener noreferrer');
  if (currentPass().imageLinks.has(link) || textShowsDestination(visibleText(link), url)) return;
  const host = link.ownerDocument.createElement('span');
  host.setAttribute('class', LINK_HOST_CLASS);
  host.textContent = ` (${describeDestination(url)})`;
  currentPass().linkHosts.add(host);
  link.after(host);
}

function finishButton(button: Element): void {
  const action = button.getAttribute(ACTION_ATTRIBUTE) ?? '';
  if (!ACTIONS.has(action)) {
    replaceWithText(button, visibleText(button));
    return;
  }
  button.setAttribute('type', 'button');
  if (action === 'load-image') {
    const url = parseSafeImageUrl(button.getAttribute(IMAGE_SOURCE_ATTRIBUTE) ?? '');
    if (!url) {
      replaceWithText(button, '');
      return;
    }
    currentPass().imageSources.add(url.href);
    labelPlaceholder(button, url);
  } else if (action === 'copy-code') {
    button.textContent = 'Copy code';
  } else {
    button.textContent = visibleText(button);
  }
}

function finishTaskMarker(span: Element): void {
  const isTask = span.getAttribute('role') === 'checkbox' && span.hasAttribute('aria-checked');
  if (isTask) return;
  span.removeAttribute('role');
  span.removeAttribute('aria-checked');
  span.removeAttribute('aria-disabled');
  span.removeAttribute('aria-label');
}

function attributeValue(element: Element, name: string, value: string): string | null {
  const tag = element.nodeName.toLowerCase();
  switch (name) {
    case 'href':
      return tag === 'a' ? (parseSafeLinkUrl(value)?.href ?? null) : null;
    case 'src':
      return tag === 'img' ? (parseSafeImageUrl(value)?.href ?? null) : null;
    case IMAGE_SOURCE_ATTRIBUTE:
      return tag === 'button' ? (parseSafeImageUrl(value)?.href ?? null) : null;
    case ACTION_ATTRIBUTE:
      return tag === 'button' && ACTIONS.has(value) ? value : null;
    case CODE_INDEX_ATTRIBUTE:
      return tag === 'button' && SMALL_NUMBER.test(value) ? value : null;
    case 'class': {
      const classes = value.split(/\s+/).filter((name) => SAFE_CLASS.test(name));
      const imitation = classes.includes(LINK_HOST_CLASS) && !currentPass().linkHosts.has(element);
      const kept = imitation ? classes.filter((name) => name !== LINK_HOST_CLASS) : classes;
      return kept.length > 0 ? kept.join(' ') : null;
    }
    case 'type':
      if (tag === 'button') return 'button';
      return tag === 'ol' && /^[1aAiI]$/.test(value) ? value : null;
    case 'start':
      return tag === 'ol' && SMALL_NUMBER.test(value) ? value : null;
    case 'tabindex':
      // Code blocks scroll sideways: keyboard users reach them. Nothing else takes focus or reorders it.
      return tag === 'pre' && value === '0' ? value : null;
    case 'colspan':
    case 'rowspan':
      return (tag === 'td' || tag === 'th') && SMALL_NUMBER.test(value) ? value : null;
    case 'align':
      return (tag === 'td' || tag === 'th') && /^(?:left|center|right)$/.test(value) ? value : null;
    case 'role':
      return tag === 'span' && value === 'checkbox' ? value : null;
    case 'aria-checked':
      return tag === 'span' && (value === 'true' || value === 'false') ? value : null;
    case 'aria-disabled':
      return tag === 'span' && value === 'true' ? value : null;
    case 'aria-label':
      return tag === 'span' ? value : null;
    case 'alt':
    case 'title':
      return value;
    default:
      // target, rel, referrerpolicy, loading, decoding: set by this module after the walk, never taken from input.
      return null;
  }
}

function createPurifier(): ReturnType<typeof DOMPurify> {
  const purifier = DOMPurify(window);

  purifier.addHook('beforeSanitizeElements', (node) => {
    if (node.nodeType === Node.TEXT_NODE && node.nodeValue) node.nodeValue = stripHidden(node.nodeValue);
  });

  purifier.addHook('uponSanitizeElement', (node: Node, event: UponSanitizeElementHookEvent) => {
    if (FORBIDDEN_ELEMENTS.has(event.tagName)) node.parentNode?.removeChild(node);
  });

  purifier.addHook('uponSanitizeAttribute', (element: Element, event: UponSanitizeAttributeHookEvent) => {
    const name = event.attrName;
    if (name.startsWith('on') || FORBIDDEN_ATTRIBUTES.includes(name)) {
      event.keepAttr = false;
      return;
    }
    const value = attributeValue(element, name, stripHidden(event.attrValue));
    if (value === null) event.keepAttr = false;
    else event.attrValue = value;
  });

  purifier.addHook('afterSanitizeAttributes', (element: Element) => {
    switch (element.nodeName.toLowerCase()) {
      case 'a':
        finishLink(element);
        break;
      case 'img':
        finishImage(element);
        break;
      case 'button':
        finishButton(element);
        break;
      case 'span':
        finishTaskMarker(element);
        break;
    }
  });

  // Set once: passing the config to every `sanitize` call would parse it (and copy every allow-list) each time, and a
  // streaming reply is sanitized once per frame.
  purifier.setConfig(CONFIG);
  return purifier;
}

const purifier = createPurifier();

/**
 * DOMPurify hands back input without a `<` unparsed, so a character reference such as `&#x202E;` would reach the page
 * without the hooks ever seeing the character it stands for. An empty comment forces the parse, and is dropped.
 */
const FORCE_PARSE = '<!---->';

/**
 * Chromium starts loading a `<track default>` inside `<video>` even in the inert document DOMPurify parses into (the
 * page's CSP sees, and reports, the request). Renaming the tag before parsing means no track element ever exists;
 * the renamed element is not on the allow-list and is dropped like any unknown one.
 */
const TRACK_TAG = /<(\/?)track(?=[\t\n\f\r />]|$)/gi;

function sanitizeToString(dirty: string): string {
  return purifier.sanitize(FORCE_PARSE + dirty.replace(TRACK_TAG, '<$1mc-track'));
}

function createTrustedTypesPolicy(): { createHTML(dirty: string): TrustedHTML } | null {
  const factory = (window as unknown as TrustedTypesWindow).trustedTypes;
  if (!factory) return null;
  try {
    return factory.createPolicy(TRUSTED_TYPES_POLICY_NAME, { createHTML: sanitizeToString });
  } catch {
    // The page's CSP does not allow the policy: TrustedHTML cannot be made, and innerHTML will refuse plain strings.
    return null;
  }
}

const policy = createTrustedTypesPolicy();

/** Sanitizes `dirty` HTML with the app's one policy. */
export function sanitizeHtml(dirty: string, options: SanitizeOptions = {}): SanitizedHtml {
  const stripped = stripInvisible(dirty);
  pass = {
    images: options.images ?? NO_IMAGES,
    hidden: stripped.removed > 0,
    imageSources: new Set(),
    linkHosts: new WeakSet(),
    imageLinks: new WeakSet(),
  };
  try {
    const trusted = policy ? policy.createHTML(stripped.text) : sanitizeToString(stripped.text);
    return {
      html: trusted.toString(),
      trusted,
      hiddenCharactersRemoved: pass.hidden,
      imageSources: [...pass.imageSources],
    };
  } finally {
    pass = undefined;
  }
}
