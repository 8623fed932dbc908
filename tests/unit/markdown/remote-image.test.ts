import { describe, expect, test, vi } from 'vitest';
import { fetchRemoteImage, MAX_IMAGE_BYTES } from '../../../src/markdown/remote-image.js';

const URL_OF_IMAGE = new URL('https://img.example/cat.png');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function answering(response: Response | (() => Response)) {
  return vi.fn<typeof fetch>(async () => (typeof response === 'function' ? response() : response));
}

describe('fetchRemoteImage', () => {
  test('fetches with CORS, without cookies or Referer, from the cache when it can, and gives the image', async () => {
    const fetchImpl = answering(new Response(PNG, { headers: { 'Content-Type': 'image/png' } }));

    const outcome = await fetchRemoteImage(URL_OF_IMAGE, new AbortController().signal, { fetch: fetchImpl });

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.image.type).toBe('image/png');
    expect(new Uint8Array(await outcome.image.arrayBuffer())).toEqual(PNG);
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect(url).toBe('https://img.example/cat.png');
    expect(init).toMatchObject({
      mode: 'cors',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'force-cache',
    });
  });

  test('a host without CORS, or one that cannot be reached, is unreachable', async () => {
    const fetchImpl = vi.fn<typeof fetch>(async () => {
      throw new TypeError('Failed to fetch');
    });

    expect(await fetchRemoteImage(URL_OF_IMAGE, new AbortController().signal, { fetch: fetchImpl })).toEqual({
      ok: false,
      reason: 'unreachable',
    });
  });

  test('an HTTP error is unreachable; a page or a script is not an image', async () => {
    const signal = new AbortController().signal;
    const notFound = answering(new Response('nope', { status: 404, headers: { 'Content-Type': 'image/png' } }));
    const html = answering(new Response('<p>hi</p>', { headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
    const script = answering(new Response('alert(1)', { headers: { 'Content-Type': 'text/javascript' } }));

    expect(await fetchRemoteImage(URL_OF_IMAGE, signal, { fetch: notFound })).toEqual({
      ok: false,
      reason: 'unreachable',
    });
    expect(await fetchRemoteImage(URL_OF_IMAGE, signal, { fetch: html })).toEqual({
      ok: false,
      reason: 'not-an-image',
    });
    expect(await fetchRemoteImage(URL_OF_IMAGE, signal, { fetch: script })).toEqual({
      ok: false,
      reason: 'not-an-image',
    });
  });

  test('an image over the size cap is refused, by its announced length or as it streams in', async () => {
    const signal = new AbortController().signal;
    const announced = answering(
      new Response(PNG, {
        headers: { 'Content-Type': 'image/png', 'Content-Length': String(MAX_IMAGE_BYTES + 1) },
      }),
    );
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const streamed = answering(new Response(endless, { headers: { 'Content-Type': 'image/png' } }));

    expect(await fetchRemoteImage(URL_OF_IMAGE, signal, { fetch: announced })).toEqual({
      ok: false,
      reason: 'too-large',
    });
    expect(await fetchRemoteImage(URL_OF_IMAGE, signal, { fetch: streamed, maxBytes: 1024 * 1024 })).toEqual({
      ok: false,
      reason: 'too-large',
    });
    expect(cancelled).toBe(true);
  });

  test('an abort is not an outcome: it throws', async () => {
    const stop = new AbortController();
    const fetchImpl = vi.fn<typeof fetch>(async () => {
      stop.abort();
      throw new DOMException('The operation was aborted.', 'AbortError');
    });

    await expect(fetchRemoteImage(URL_OF_IMAGE, stop.signal, { fetch: fetchImpl })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
