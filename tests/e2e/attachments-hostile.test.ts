// The attachment corpus through the built app: a file that cannot be read (binary named .txt, 0 bytes, a zip renamed
// .pdf) says why in an alert and is not attached; one that can (HTML with scripts, a PDF with JavaScript, a file
// named like markup) is only ever text: nothing in it runs, nothing is fetched, its name shows as typed, and the model
// gets its text without its scripts.
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_CORPUS, BEACON_ORIGIN } from '../fixtures/attachments/corpus.js';
import { openAppOnEndpoint, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import { alerts, flatText, replyFinished, sendMessage, userMessages } from '../support/ui.js';
import { attachFiles, corpusFile, filesOn, filesRead, textFile, waitingFiles } from './attachments-support.js';
import { activeContentOf, exfiltrationRequests, installPageProbe } from './hostile-support.js';

const harness = useAppSessions();
const server = useLocalSseServer({ tokens: ['Nothing', ' ran', '.'] });

const HOSTILE_NAME = '<img src=x onerror=__pwned()>.txt';

describe('hostile attachments', () => {
  it('refuses a binary .txt, an empty file and a zip renamed .pdf with an alert each, and attaches none', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    await attachFiles(
      page,
      await corpusFile('binary.txt', 'text/plain'),
      await corpusFile('empty.txt', 'text/plain'),
      await corpusFile('zip-bomb.pdf', 'application/pdf'),
    );
    const expected = [
      /“binary\.txt” does not contain text \(it looks like binary data\)/,
      /“empty\.txt” is empty \(0 bytes\)\. Attach a file with text in it\./,
      /“zip-bomb\.pdf” is not a PDF: it does not start as one/,
    ];
    for (const says of expected) await alerts(page).filter({ hasText: says }).waitFor();
    expect(await waitingFiles(page).count()).toBe(0);
  });

  it('keeps an HTML file with scripts, a PDF with JavaScript and a name made of markup inert', async () => {
    const { page, requests } = harness.session();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await installPageProbe(page);
    await openAppOnEndpoint(page, harness.appUrl, server.url);

    // A plain message with as many files first, to compare the hostile one with (the app's own controls, the chips'
    // among them: see activeContentOf).
    await attachFiles(page, textFile('a.txt', 'A.'), textFile('b.txt', 'B.'), textFile('c.txt', 'C.'));
    await filesRead(page, 3);
    await sendMessage(page, 'A plain question');
    await replyFinished(page, 1);

    await attachFiles(
      page,
      await corpusFile('scripts.html', 'text/html'),
      await corpusFile('javascript-action.pdf', 'application/pdf'),
      textFile(HOSTILE_NAME, 'Harmless text under a hostile name.'),
    );
    await filesRead(page, 3);
    await sendMessage(page, 'What do these say?');
    await replyFinished(page, 2);

    const hostile = userMessages(page).last();
    await expect
      .poll(() => filesOn(hostile))
      .toEqual([
        expect.stringContaining('scripts.html'),
        expect.stringContaining('javascript-action.pdf'),
        expect.stringContaining(HOSTILE_NAME),
      ]);
    expect(await flatText(hostile)).toContain(HOSTILE_NAME);
    // The chips' own markup, told apart only by the file name in their title (a text attribute).
    const sameChips = (lines: string[] = []) => lines.map((line) => line.replace(/ title="[^"]*"/, ' title="…"'));
    const [plain, found] = await activeContentOf(userMessages(page));
    expect(sameChips(found)).toEqual(sameChips(plain));
    expect(await hostile.locator('img').count()).toBe(0);

    // The model gets the files' text, and nothing of their scripts, styles or links.
    const body = server.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
    const turn = body.messages.at(-1)?.content ?? '';
    for (const { file, outcome } of ATTACHMENT_CORPUS) {
      if (!outcome.ok) continue;
      const sent = new RegExp(`<document name="${file}">\\n([\\s\\S]*?)\\n</document>`).exec(turn)?.[1];
      expect(sent, file).toBeDefined();
      for (const text of outcome.includes) expect(sent, file).toContain(text);
      for (const text of outcome.excludes) expect(sent, file).not.toContain(text);
    }

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => window.__pwnedCalls ?? -1)).toBe(0);
    expect(await page.evaluate(() => window.__violations ?? [])).toEqual([]);
    expect(requests.map((request) => request.url()).filter((url) => url.startsWith(BEACON_ORIGIN))).toEqual([]);
    expect(exfiltrationRequests(requests)).toEqual([]);
    expect(await alerts(page).count()).toBe(0);
  });
});
