import type { TrustedTypesWindow } from 'trusted-types/lib';
import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { assertInert } from '../../fixtures/assert-inert.js';
import { HOSTILE_CORPUS } from '../../fixtures/hostile-corpus.js';

/** The CSP the app's index.html is to carry, as far as Trusted Types go. */
const TRUSTED_TYPES_CSP = "require-trusted-types-for 'script'; trusted-types mc-markdown dompurify lit-html";

test('everything renders under a CSP that enforces Trusted Types with only the policies it names', async () => {
  const violations: string[] = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    violations.push(`${event.effectiveDirective}: ${event.sample}`);
  });
  const csp = document.createElement('meta');
  csp.httpEquiv = 'Content-Security-Policy';
  csp.content = TRUSTED_TYPES_CSP;
  document.head.append(csp);

  // Enforcement is on: a plain string no longer goes into innerHTML, and no other policy can be made.
  expect(() => {
    document.createElement('div').innerHTML = '<b>x</b>';
  }).toThrow(TypeError);
  expect(() => (window as unknown as TrustedTypesWindow).trustedTypes?.createPolicy('other', {})).toThrow();
  await expect
    .poll(() => violations)
    .toEqual(['require-trusted-types-for: Element innerHTML|<b>x</b>', 'trusted-types: other']);
  violations.length = 0;

  // Loaded only now, so their policies are created under the CSP, as they will be in the app.
  await import('../../../src/components/mc-markdown.js');
  const source = `${location.origin}/pwa-192x192.png`;
  const element = document.createElement('mc-markdown');
  element.text = `# Title\n\nA [link](https://example.com/x), ![img](${source}) and code:\n\n\`\`\`js\nconst a = 1;\n\`\`\``;
  document.body.append(element);
  await element.updateComplete;

  await expect.element(page.getByRole('heading', { name: 'Title' })).toBeVisible();
  await expect.poll(() => element.shadowRoot?.querySelector('.hljs-keyword')?.textContent).toBe('const');
  await userEvent.click(page.getByRole('button', { name: `Load image from ${location.host}` }));
  await expect.poll(() => element.shadowRoot?.querySelector('img')?.getAttribute('src')).toMatch(/^blob:/);

  for (const { input } of HOSTILE_CORPUS) {
    element.text = input;
    await element.updateComplete;
    assertInert(element);
  }
  expect(violations).toEqual([]);
});
