/**
 * The one allow-list for HTML the app renders: DOMPurify with the elements, attributes and values below, nothing
 * more. Its one caller is the markdown renderer (streaming-renderer.ts), which sanitizes every block it writes, final
 * or still streaming; nothing else in the app renders HTML, and any new sink must go through `sanitizeHtml` too.
 *
 * What the policy guarantees about its output, whatever its input:
 * - no script, event handler, style (element or attribute), form, form control, meta, base, link, frame, object,
 *   embed, media, SVG or MathML, and no `id`/`name` (DOM clobbering);
 * - links are http(s) or mailto only, and open in a new tab with `rel="noopener noreferrer"`;
 * - nothing fetches on its own: an `<img>` keeps only the `blob:` URL made for an image the user loaded (`images`),
 *   and is removed otherwise;
 * - buttons are `type="button"` and nothing takes focus but code blocks (`<pre tabindex="0">`: a long line makes them
 *   scroll sideways);
 * - invisible characters that can hide or reorder text are removed, and the result says so.
 *
 * What a reply's links and images look like (the "(example.com)" after a link, the "Load image from host" button) is
 * written before this, by the renderer (links-and-images.ts).
 *
 * Trusted Types: where the browser has them, the output is TrustedHTML from the one policy this module creates,
 * {@link TRUSTED_TYPES_POLICY_NAME}, whose only way to make HTML is to run this sanitizer. DOMPurify also creates its
 * own policy, 'dompurify', to parse the dirty input into an inert document. A CSP with
 * `require-trusted-types-for 'script'` must therefore allow `trusted-types mc-markdown dompurify lit-html`.
 */
import DOMPurify from 'dompurify';
import type { Config, UponSanitizeAttributeHookEvent } from 'dompurify';
import type { TrustedHTML, TrustedTypesWindow } from 'trusted-types/lib';
import { ACTION_ATTRIBUTE, CODE_INDEX_ATTRIBUTE, CONTENT_ACTIONS, IMAGE_SOURCE_ATTRIBUTE } from './content-actions.js';
import { stripInvisible } from './invisible-unicode.js';
import type { RemoteImageState } from './remote-image.js';
import { parseSafeImageUrl, parseSafeLinkUrl } from './url-policy.js';

export const TRUSTED_TYPES_POLICY_NAME = 'mc-markdown';

export interface SanitizeOptions {
  /**
   * Images the user chose to load, by normalized URL (`URL.href`), and what became of each: an `<img>` keeps only a
   * `src` that is the `blob:` URL made for one of them, and any other `<img>` is removed.
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
}

/** Every element the output may hold; any other is dropped (its text kept, unless it is in DROPPED_WITH_CONTENT). */
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
/**
 * Every attribute the output may hold; which elements may have each, and what values, is `attributeValue`'s job.
 * DOMPurify checks every attribute not on this list of non-URLs as a URL (http(s), mailto or blob:).
 */
const NON_URL_ATTRIBUTES = [
  'align',
  'alt',
  'aria-checked',
  'aria-disabled',
  'aria-label',
  'class',
  'colspan',
  'decoding',
  'referrerpolicy',
  'rel',
  'role',
  'rowspan',
  'start',
  'tabindex',
  'target',
  'title',
  'type',
  ACTION_ATTRIBUTE,
  CODE_INDEX_ATTRIBUTE,
];
const ALLOWED_ATTR = ['href', 'src', IMAGE_SOURCE_ATTRIBUTE, ...NON_URL_ATTRIBUTES];

/**
 * Not allowed, and removed with everything inside them (beyond DOMPurify's own list: script, style, SVG, MathML,
 * templates, iframes, audio, video): forms and their controls, document metadata, embedded content, and what fetches.
 */
const DROPPED_WITH_CONTENT = [
  'applet',
  'base',
  'canvas',
  'dialog',
  'embed',
  'form',
  'frame',
  'frameset',
  'image',
  'input',
  'link',
  'meta',
  'object',
  'option',
  'picture',
  'portal',
  'select',
  'source',
  'textarea',
  'track',
];

const NO_IMAGES: ReadonlyMap<string, RemoteImageState> = new Map();

const SAFE_CLASS = /^(?:hljs(?:-[\w-]+)?|[a-z]+_+|language-[\w+#.-]{1,40}|mc-[a-z-]+)$/;
const SMALL_NUMBER = /^\d{1,6}$/;

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ADD_URI_SAFE_ATTR: NON_URL_ATTRIBUTES,
  ALLOWED_URI_REGEXP: /^(?:https?|mailto|blob):/i,
  ALLOW_ARIA_ATTR: false,
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ADD_FORBID_CONTENTS: DROPPED_WITH_CONTENT,
  KEEP_CONTENT: true,
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: true,
};

/** What one `sanitizeHtml` call learns while DOMPurify walks the tree; hooks are synchronous, so one at a time. */
interface Pass {
  /** The `blob:` URLs made for the images the user loaded: the only `src` an image may have. */
  shownImages: ReadonlySet<string>;
  hidden: boolean;
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

function shownImagesOf(images: ReadonlyMap<string, RemoteImageState>): ReadonlySet<string> {
  const shown = new Set<string>();
  for (const image of images.values()) {
    if (image.status === 'loaded' && image.objectUrl.startsWith('blob:')) shown.add(image.objectUrl);
  }
  return shown;
}

/** The value `element` may keep for attribute `name`, or null to drop it. */
function attributeValue(element: Element, name: string, value: string): string | null {
  const tag = element.nodeName.toLowerCase();
  switch (name) {
    case 'href':
      return tag === 'a' ? (parseSafeLinkUrl(value)?.href ?? null) : null;
    case 'src':
      return tag === 'img' && currentPass().shownImages.has(value) ? value : null;
    case IMAGE_SOURCE_ATTRIBUTE:
      return tag === 'button' ? (parseSafeImageUrl(value)?.href ?? null) : null;
    case ACTION_ATTRIBUTE:
      return tag === 'button' && CONTENT_ACTIONS.has(value) ? value : null;
    case CODE_INDEX_ATTRIBUTE:
      return tag === 'button' && SMALL_NUMBER.test(value) ? value : null;
    case 'class': {
      const kept = value.split(/\s+/).filter((name) => SAFE_CLASS.test(name));
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
      // A task's checkbox, and an image's button while the image loads.
      return (tag === 'span' || tag === 'button') && value === 'true' ? value : null;
    case 'aria-label':
      return tag === 'span' ? value : null;
    case 'referrerpolicy':
      return tag === 'img' && value === 'no-referrer' ? value : null;
    case 'decoding':
      return tag === 'img' && value === 'async' ? value : null;
    case 'alt':
    case 'title':
      return value;
    default:
      // target and rel: every link gets the same ones after the walk, whatever the input said.
      return null;
  }
}

function createPurifier(): ReturnType<typeof DOMPurify> {
  const purifier = DOMPurify(window);

  purifier.addHook('beforeSanitizeElements', (node) => {
    if (node.nodeType !== Node.TEXT_NODE || !node.nodeValue) return;
    // Written only when something was removed: almost no text has any, and each write is a DOM mutation.
    const text = stripHidden(node.nodeValue);
    if (text !== node.nodeValue) node.nodeValue = text;
  });

  purifier.addHook('uponSanitizeAttribute', (element: Element, event: UponSanitizeAttributeHookEvent) => {
    const value = attributeValue(element, event.attrName, stripHidden(event.attrValue));
    if (value === null) event.keepAttr = false;
    else event.attrValue = value;
  });

  // What must hold of every element of a kind, whatever its attributes said (or lacked).
  purifier.addHook('afterSanitizeAttributes', (element: Element) => {
    switch (element.nodeName.toLowerCase()) {
      case 'a':
        if (!element.hasAttribute('href')) break;
        element.setAttribute('target', '_blank');
        element.setAttribute('rel', 'noopener noreferrer');
        break;
      case 'button':
        element.setAttribute('type', 'button');
        break;
      case 'img':
        // Only an image the user asked for may show; any other would fetch, or be an empty frame.
        if (!element.hasAttribute('src')) element.remove();
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
  const images = options.images ?? NO_IMAGES;
  pass = { shownImages: images.size > 0 ? shownImagesOf(images) : new Set(), hidden: stripped.removed > 0 };
  try {
    const trusted = policy ? policy.createHTML(stripped.text) : sanitizeToString(stripped.text);
    return { html: trusted.toString(), trusted, hiddenCharactersRemoved: pass.hidden };
  } finally {
    pass = undefined;
  }
}
