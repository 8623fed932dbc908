/**
 * Which URLs a reply may link to or show, and how the real destination is named next to the link. Pure: no DOM,
 * unit-tested in Node.
 *
 * Values are parsed with the WHATWG URL parser, the same algorithm the browser applies to `href` and `src`, so every
 * spelling trick the browser would undo (case, tabs and newlines inside the scheme, leading control characters and
 * spaces) is undone here first. Character references (`&#58;`) are the HTML parser's business: the sanitizer checks
 * attribute values after parsing, when they are already decoded. Relative and protocol-relative references are
 * refused: a reply has no base URL that means anything.
 */

const LINK_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:']);
const MAX_SHOWN_ADDRESS = 80;

function parseAbsolute(value: string, protocols: ReadonlySet<string>): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (!protocols.has(url.protocol)) return null;
  if (url.protocol === 'mailto:') return url.pathname === '' ? null : url;
  return url.hostname === '' ? null : url;
}

/** An http(s) or mailto URL a link may point to, or null. */
export function parseSafeLinkUrl(value: string): URL | null {
  return parseAbsolute(value, LINK_PROTOCOLS);
}

/** An http(s) URL an image may be loaded from once the user asks for it, or null. */
export function parseSafeImageUrl(value: string): URL | null {
  return parseAbsolute(value, IMAGE_PROTOCOLS);
}

/**
 * What the reader is told a link really leads to: the host (with port) for the web, in its ASCII form so look-alike
 * letters from other scripts show up as `xn--…`; the address for mail.
 */
export function describeDestination(url: URL): string {
  if (url.protocol !== 'mailto:') return url.host;
  let address: string;
  try {
    address = decodeURIComponent(url.pathname);
  } catch {
    address = url.pathname;
  }
  return address.length > MAX_SHOWN_ADDRESS ? `${address.slice(0, MAX_SHOWN_ADDRESS)}…` : address;
}

/**
 * Whether a link's visible text already names its real destination, so the "(host)" suffix would only repeat it.
 * Deliberately strict: the text must start with the destination (after an optional scheme) and continue with nothing
 * or a path, query, fragment or port, so "paypal.com@evil.example" or "paypal.com.evil.example" never hide the host.
 */
export function textShowsDestination(text: string, url: URL): boolean {
  const shown = text
    .trim()
    .toLowerCase()
    .replace(/^(?:https?:\/\/|mailto:)/, '');
  const destination = describeDestination(url).toLowerCase();
  if (!shown.startsWith(destination)) return false;
  const rest = shown.slice(destination.length);
  return rest === '' || /^[/?#]/.test(rest);
}
