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
import { exfiltrationRequests, installPageProbe, sampleOfEveryClass, type CspViolation } from './hostile-support.js';

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

/** What is wrong in the page now: active content in any of `where`'s elements, the canary, CSP violations. */
function findingsIn(where: Locator): Promise<PageFindings> {
  return where.evaluateAll((elements) => ({
    active: elements.flatMap((element, index) =>
      (window.__findActiveContent?.(element) ?? ['the inertness check is missing']).map(
        (problem) => `#${index}: ${problem}`,
      ),
    ),
    canaryCalls: window.__pwnedCalls ?? -1,
    violations: window.__violations ?? [{ directive: 'the violation recorder is missing', blockedURI: '' }],
  }));
}

/** The probe first, then the app signed in to the (intercepted) Hugging Face router. */
async function openHostedApp(page: Page): Promise<void> {
  await installPageProbe(page);
  await openAppOnEndpoint(page, harness.appUrl, HF_ROUTER);
}

describe('hostile text in the real app', () => {
  it('every hostile reply from the model, streamed a few characters per event, stays inert', async () => {
    const { page, context, requests } = harness.session();
    await interceptHuggingFaceRouter(context, (_request, index) =>
      streamReply(fewCharactersAtATime(HOSTILE_CORPUS[index]?.input ?? 'No more.')),
    );
    await openHostedApp(page);
    const probe = await findingsIn(page.locator('body'));
    expect(probe.canaryCalls, 'the canary is in place').toBe(0);

    for (const [index, entry] of HOSTILE_CORPUS.entries()) {
      await sendMessage(page, `Reply ${index + 1}`);
      await replyFinished(page, index + 1);

      const findings = await findingsIn(page.locator('mc-markdown'));
      const label = `${entry.class}: ${entry.name}`;
      expect(findings.active, `${label}: active content in a reply`).toEqual([]);
      expect(findings.canaryCalls, `${label}: script ran`).toBe(0);
      expect(findings.violations, `${label}: the CSP had to block something`).toEqual([]);
      expect(exfiltrationRequests(requests), `${label}: a request left for the exfiltration host`).toEqual([]);
    }

    // Every reply was shown, as a reply, and the checks above looked at each of them.
    expect(await page.locator('mc-markdown').count()).toBe(HOSTILE_CORPUS.length);
    expect(await alerts(page).count()).toBe(0);
    // The last input is raw HTML: it arrived whole, and is shown as the text it is.
    expect(await flatText(assistantMessages(page).last())).toContain('<script>__pwned()</script>');
  }, 150_000);

  it('hostile text typed or pasted by the user is shown as the text it is', async () => {
    const { page, context, requests } = harness.session();
    await interceptHuggingFaceRouter(context, () => streamReply(['Noted', '.']));
    await openHostedApp(page);
    const sample = sampleOfEveryClass(3);
    expect(sample.length).toBeGreaterThanOrEqual(30);

    for (const [index, entry] of sample.entries()) {
      await sendMessage(page, entry.input);
      await replyFinished(page, index + 1);

      const label = `${entry.class}: ${entry.name}`;
      // What the user typed: the messages' text, not the app's own buttons and icons around it.
      const findings = await findingsIn(userMessages(page).locator('.body'));
      expect(findings.active, `${label}: active content in a message`).toEqual([]);
      expect(findings.canaryCalls, `${label}: script ran`).toBe(0);
      expect(findings.violations, `${label}: the CSP had to block something`).toEqual([]);
      expect(exfiltrationRequests(requests), `${label}: a request left for the exfiltration host`).toEqual([]);
      expect(await flatText(userMessages(page).nth(index)), `${label}: not shown as typed`).toContain(
        entry.input.trim(),
      );
    }
  });
});
