// Hostile text through the real built app: every input of the hostile corpus as a model's reply, streamed a few
// characters per event so markup is split across deltas, and a sample of it typed by the user. After each message the
// page itself is searched for anything active (the fixture's own findActiveContent, run in the page), the canary
// `__pwned()` must never have run, no CSP violation may have fired, and nothing may have asked for the exfiltration
// host (the harness also fails any test whose page reached a host no route answered).
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { HOSTILE_CORPUS } from '../fixtures/hostile-corpus.js';
import { interceptHuggingFaceRouter, streamReply } from '../support/browser.js';
import { HF_ROUTER, openAppOnEndpoint, useAppSessions } from '../support/e2e.js';
import { alerts, assistantMessages, flatText, replyFinished, sendMessage, userMessages } from '../support/ui.js';
import {
  activeContentOf,
  exfiltrationRequests,
  installPageProbe,
  sampleOfEveryClass,
  type CspViolation,
} from './hostile-support.js';

const harness = useAppSessions();

/** Splits `text` into events of 1 to 4 code points, so tags, entities and URLs are cut at every kind of place. */
function fewCharactersAtATime(text: string): string[] {
  const characters = [...text];
  const events: string[] = [];
  for (let start = 0, size = 1; start < characters.length; start += size, size = (size % 4) + 1) {
    events.push(characters.slice(start, start + size).join(''));
  }
  return events;
}

interface PageFindings {
  active: string[];
  canaryCalls: number;
  violations: CspViolation[];
}

/** The findings in `found` beyond those in `plain`, each as often as it is found more often. */
function beyond(found: readonly string[], plain: readonly string[]): string[] {
  const left = [...plain];
  return found.filter((problem) => {
    const at = left.indexOf(problem);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

/**
 * What is wrong in the page now: in any of `messages`, active content beyond what a message of plain text of the
 * same role shows (`plain`, its own controls: see `activeContentOf`), the canary, CSP violations.
 */
async function findingsIn(messages: Locator, plain: readonly string[]): Promise<PageFindings> {
  const perMessage = await activeContentOf(messages);
  const page = await messages.page().evaluate(() => ({
    canaryCalls: window.__pwnedCalls ?? -1,
    violations: window.__violations ?? [{ directive: 'the violation recorder is missing', blockedURI: '' }],
  }));
  return {
    active: perMessage.flatMap((found, index) => beyond(found, plain).map((problem) => `#${index}: ${problem}`)),
    ...page,
  };
}

/** The probe first, then the app signed in to the (intercepted) Hugging Face router. */
async function openHostedApp(page: Page): Promise<void> {
  await installPageProbe(page);
  await openAppOnEndpoint(page, harness.appUrl, HF_ROUTER);
}

describe('hostile text in the real app', () => {
  it('every hostile reply from the model, streamed a few characters per event, stays inert', async () => {
    const { page, context, requests } = harness.session();
    // A plain reply first, to compare the hostile ones with. Some 170 replies streamed a few characters at a time
    // take over two minutes on a busy machine: hence the long timeout.
    await interceptHuggingFaceRouter(context, (_request, index) =>
      index === 0
        ? streamReply(['A plain', ' reply.'])
        : streamReply(fewCharactersAtATime(HOSTILE_CORPUS[index - 1]?.input ?? 'No more.')),
    );
    await openHostedApp(page);
    expect(await page.evaluate(() => window.__pwnedCalls), 'the canary is in place').toBe(0);
    await sendMessage(page, 'Reply 0');
    await replyFinished(page, 1);
    const [plainReply = []] = await activeContentOf(assistantMessages(page));

    for (const [index, entry] of HOSTILE_CORPUS.entries()) {
      await sendMessage(page, `Reply ${index + 1}`);
      await replyFinished(page, index + 2);

      // The newest reply: the ones before it were checked as they came, and all of them are again at the end.
      const findings = await findingsIn(assistantMessages(page).last(), plainReply);
      const label = `${entry.class}: ${entry.name}`;
      expect(findings.active, `${label}: active content in a reply`).toEqual([]);
      expect(findings.canaryCalls, `${label}: script ran`).toBe(0);
      expect(findings.violations, `${label}: the CSP had to block something`).toEqual([]);
      expect(exfiltrationRequests(requests), `${label}: a request left for the exfiltration host`).toEqual([]);
    }

    // Every reply was shown, and the checks above looked at each of them. Each went through the Markdown renderer
    // (its element, as no role tells Markdown from the plain text shown while the renderer loads).
    expect(await assistantMessages(page).count()).toBe(HOSTILE_CORPUS.length + 1);
    expect(await page.locator('mc-markdown').count()).toBe(HOSTILE_CORPUS.length + 1);
    expect((await findingsIn(assistantMessages(page), plainReply)).active).toEqual([]);
    expect(await alerts(page).count()).toBe(0);
    // The last input is raw HTML: it arrived whole, and is shown as the text it is.
    expect(await flatText(assistantMessages(page).last())).toContain('<script>__pwned()</script>');
  }, 180_000);

  it('hostile text typed or pasted by the user is shown as the text it is', async () => {
    const { page, context, requests } = harness.session();
    await interceptHuggingFaceRouter(context, () => streamReply(['Noted', '.']));
    await openHostedApp(page);
    const sample = sampleOfEveryClass(3);
    expect(sample.length).toBeGreaterThanOrEqual(30);
    // A plain question first, to compare the hostile ones with.
    await sendMessage(page, 'A plain question');
    await replyFinished(page, 1);
    const [plainQuestion = []] = await activeContentOf(userMessages(page));

    for (const [index, entry] of sample.entries()) {
      await sendMessage(page, entry.input);
      await replyFinished(page, index + 2);

      const label = `${entry.class}: ${entry.name}`;
      const findings = await findingsIn(userMessages(page), plainQuestion);
      expect(findings.active, `${label}: active content in a message`).toEqual([]);
      expect(findings.canaryCalls, `${label}: script ran`).toBe(0);
      expect(findings.violations, `${label}: the CSP had to block something`).toEqual([]);
      expect(exfiltrationRequests(requests), `${label}: a request left for the exfiltration host`).toEqual([]);
      expect(await flatText(userMessages(page).nth(index + 1)), `${label}: not shown as typed`).toContain(
        entry.input.trim(),
      );
    }
  });
});
