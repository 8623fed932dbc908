// What of an attached file reaches the model, read from the request the local OpenAI-compatible server receives: a
// small file whole, a 2 MB file as the passage that answers the question within the context budget, a PDF's text
// (a long one's reading progress shown); and the reply's "Sources" shows the user what the model saw.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/documents/token-estimate.js';
import { HOSTED_FALLBACK_CONTEXT_TOKENS } from '../../src/state/reply-documents.js';
import { haystack } from '../fixtures/attachments/haystack.js';
import { writePdf } from '../fixtures/attachments/pdf-writer.js';
import { openAppOnEndpoint, useAppSessions, useLocalSseServer } from '../support/e2e.js';
import { assistantMessages, flatText, replyFinished, sendMessage } from '../support/ui.js';
import { expectNoAxeViolations } from './a11y-helpers.js';
import { attachFiles, filesRead, lastUserTurn, textFile, waitingFiles, type FileInput } from './attachments-support.js';

const harness = useAppSessions();
const server = useLocalSseServer({ tokens: ['Here', ' is', ' what', ' I', ' found', '.'] });

interface SentBody {
  messages: { role: string; content: string }[];
  max_tokens?: number;
}

/** Attaches `files`, asks `question`, waits for the reply, and returns what the server was sent for it. */
async function ask(page: Page, files: FileInput[], question: string): Promise<SentBody> {
  const before = server.chatRequests().length;
  await attachFiles(page, ...files);
  await filesRead(page, files.length);
  await sendMessage(page, question);
  await replyFinished(page, (await assistantMessages(page).count()) + 1);
  await expect.poll(() => server.chatRequests().length).toBe(before + 1);
  return server.chatRequests()[before]?.body as SentBody;
}

/** The reply's "Sources (N)", opened: its text, with the excerpts once they are read. */
async function openSources(page: Page, count: number): Promise<string> {
  const reply = assistantMessages(page).last();
  await reply.getByText(`Sources (${count})`, { exact: true }).click();
  await expect.poll(async () => flatText(reply)).not.toContain('Loading the text the model saw…');
  return (await flatText(reply)).replace(/\s+/g, ' ');
}

describe('attachments reaching the model', () => {
  it('says how far a long PDF has been read while it is read', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    // Long enough to be read for a while (pages go by in batches), so the progress is on screen to be seen.
    const pages = Array.from({ length: 600 }, (_, index) => [`Page ${index + 1}`, `Line of page ${index + 1}.`]);
    const file = { name: 'long.pdf', mimeType: 'application/pdf', buffer: Buffer.from(writePdf({ pages })) };
    await attachFiles(page, file);
    await waitingFiles(page)
      .filter({ hasText: /Reading… \d+ \/ 600 pages/ })
      .waitFor();
    await filesRead(page, 1);
    expect(await waitingFiles(page).allTextContents()).toEqual([expect.stringContaining('long.pdf')]);
  });

  it('sends a small file whole, in the question’s turn, and the reply shows it as its source', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    const recipe = '# Bread\n\nMix 500 g flour, 350 g water and 10 g salt. Rest it overnight.';
    const body = await ask(page, [textFile('recipe.md', recipe, 'text/markdown')], 'How long does the dough rest?');

    const turn = lastUserTurn(body);
    expect(turn).toContain('<document name="recipe.md">');
    expect(turn).toContain('Mix 500 g flour, 350 g water and 10 g salt.');
    expect(turn.endsWith('How long does the dough rest?')).toBe(true);

    const sources = await openSources(page, 1);
    expect(sources).toContain('recipe.md');
    expect(sources).toContain('whole file');
    expect(sources).toContain('Rest it overnight.');

    // A file sent, a reply's sources open, and another file waiting in the message box: no axe violations.
    await attachFiles(page, textFile('shopping.txt', 'Flour, salt.'));
    await filesRead(page, 1);
    await expectNoAxeViolations(page, 'a reply with its sources open and a file waiting');
  });

  it('sends the passage of a 2 MB file that answers the question, within the budget, and shows it', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    const needle = 'The lighthouse keeper hid the spare key under the blue periwinkle pot.';
    const text = haystack(2 * 1024 * 1024, needle, 0.62);
    expect(text.length).toBeGreaterThan(2_000_000);
    const body = await ask(page, [textFile('town-minutes.txt', text)], 'Where did the lighthouse keeper hide the key?');

    const turn = lastUserTurn(body);
    expect(turn).toContain(needle);
    expect(turn).toContain('<document name="town-minutes.txt" part="excerpts">');
    // The budget of a custom endpoint (no catalogue entry to say otherwise): the turns plus the reply's room.
    const sent = body.messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
    expect(sent + (body.max_tokens ?? 0)).toBeLessThanOrEqual(HOSTED_FALLBACK_CONTEXT_TOKENS);
    expect(turn.length).toBeLessThan(text.length / 20);

    const sources = await openSources(page, 1);
    expect(sources).toMatch(/town-minutes\.txt · \d+ passages?/);
    expect(sources).toContain(needle);
  });

  it('sends a PDF’s text, page by page', async () => {
    const { page } = harness.session();
    await openAppOnEndpoint(page, harness.appUrl, server.url);
    const pdf = writePdf({
      pages: [
        ['Annual report', 'Sales grew by nine percent in the spring.'],
        ['Staff', 'The team welcomed four new engineers.'],
      ],
    });
    const file = { name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) };
    const body = await ask(page, [file], 'How much did sales grow?');

    const turn = lastUserTurn(body);
    expect(turn).toContain('<document name="report.pdf">');
    expect(turn).toContain('Sales grew by nine percent in the spring.');
    expect(turn).toContain('The team welcomed four new engineers.');
    expect(await openSources(page, 1)).toContain('report.pdf · whole file');
  });
});
