// The page bench/streaming-local.mjs opens: the local path's shape without a GPU. A fake model worker
// (fake-engine-worker.ts) streams the Markdown-heavy reply at 200 tokens/s through the real worker protocol to the
// page's WorkerEngineClient, and the reply is shown in <mc-markdown> once per animation frame, as the app's store
// controller renders. `window.runLocalStream(tokens)` resolves when the last token is on the page.
import '../src/components/mc-markdown.js';
import type { McMarkdown } from '../src/components/mc-markdown.js';
import { WorkerEngineClient } from '../src/engines/webllm/worker-client.js';

declare global {
  interface Window {
    runLocalStream(tokens: number): Promise<{ characters: number }>;
  }
}

const worker = new Worker(new URL('./fake-engine-worker.ts', import.meta.url), { type: 'module' });
const client = new WorkerEngineClient(worker);

window.runLocalStream = async (tokens) => {
  document.body.replaceChildren();
  const view = document.createElement('mc-markdown') as McMarkdown;
  view.streaming = true;
  document.body.append(view);
  let text = '';
  let frame: number | undefined;
  const show = (): void => {
    frame = undefined;
    view.text = text;
  };
  const chunks = await client.chat.completions.create({
    messages: [{ role: 'user', content: 'Write a very long answer' }],
    stream: true,
    max_tokens: tokens,
  });
  for await (const chunk of chunks) {
    text += chunk.choices[0]?.delta.content ?? '';
    frame ??= requestAnimationFrame(show);
  }
  if (frame !== undefined) cancelAnimationFrame(frame);
  view.text = text;
  view.streaming = false;
  await view.updateComplete;
  return { characters: text.length };
};
