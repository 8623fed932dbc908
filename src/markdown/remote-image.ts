/**
 * Fetching an image a reply points to, once the user asks for it.
 *
 * The page's Content-Security-Policy lets images load only from the app itself, `data:` and `blob:` (`img-src 'self'
 * data: blob:`), so nothing a model writes can make the browser contact a server by itself. An image the user chose
 * to see is therefore fetched as data (`connect-src` allows https:), checked, and shown from a `blob:` URL made here.
 * The request carries no cookies and no Referer. A host that does not allow other sites to read its images (no CORS
 * headers) cannot be shown this way: the reader gets a link to open the image in a new tab instead.
 */

/** Larger images are not shown inline: a reply should not be able to make the page hold hundreds of megabytes. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** What became of an image the user asked for, by its normalized URL (`URL.href`). */
export type RemoteImageState =
  | { status: 'loading' }
  /** `objectUrl` is a `blob:` URL this page made for the fetched bytes: the only kind of `src` an image gets. */
  | { status: 'loaded'; objectUrl: string }
  /** Shown as a link to open it in a new tab instead, and why. */
  | { status: 'blocked'; reason: RemoteImageFailure };

/**
 * - `unreachable`: the host does not allow other sites to read its images (no CORS), or it failed or did not answer;
 *   a browser cannot tell these apart;
 * - `not-an-image`: it answered with something else (a page, a script);
 * - `too-large`: over {@link MAX_IMAGE_BYTES}.
 */
export type RemoteImageFailure = 'unreachable' | 'not-an-image' | 'too-large';

export type RemoteImageOutcome = { ok: true; image: Blob } | { ok: false; reason: RemoteImageFailure };

/** Fetches the image at `url`; see {@link fetchRemoteImage}. Replaceable, so tests and other hosts can stub it. */
export type RemoteImageLoader = (url: URL, signal: AbortSignal) => Promise<RemoteImageOutcome>;

export interface FetchImageOptions {
  /** Defaults to the page's own `fetch`. */
  fetch?: typeof fetch;
  maxBytes?: number;
}

/** Reads `body` into a Blob, or gives up as soon as it passes `maxBytes`. */
async function readAtMost(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  type: string,
): Promise<Blob | 'too-large'> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return new Blob(parts as BlobPart[], { type });
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return 'too-large';
    }
    parts.push(value);
  }
}

/**
 * Fetches an image with CORS, without credentials or Referer, from the HTTP cache when it has it. The answer must be
 * an `image/*` of at most `maxBytes`; anything else, and any failure (network, CORS, HTTP error), is an outcome,
 * never a throw, except the signal's abort.
 */
export async function fetchRemoteImage(
  url: URL,
  signal: AbortSignal,
  options: FetchImageOptions = {},
): Promise<RemoteImageOutcome> {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  let response: Response;
  try {
    response = await fetchImpl(url.href, {
      mode: 'cors',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'force-cache',
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, reason: 'unreachable' };
  }
  const type = (response.headers.get('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!response.ok || !response.body) return { ok: false, reason: 'unreachable' };
  if (!type.startsWith('image/')) return { ok: false, reason: 'not-an-image' };
  if (Number(response.headers.get('Content-Length') ?? 0) > maxBytes) return { ok: false, reason: 'too-large' };
  try {
    const image = await readAtMost(response.body, maxBytes, type);
    return image === 'too-large' ? { ok: false, reason: 'too-large' } : { ok: true, image };
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, reason: 'unreachable' };
  }
}
