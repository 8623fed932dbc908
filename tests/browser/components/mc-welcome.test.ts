import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../../src/components/mc-welcome.js';
import type { EngineRecommendation } from '../../../src/components/mc-welcome.js';
import type { EngineKind } from '../../../src/domain/generation.js';
import { mount } from './fixtures.js';

async function welcome(recommendation: EngineRecommendation | null = null) {
  const element = document.createElement('mc-welcome');
  element.recommendation = recommendation;
  const chosen = vi.fn<(engine: EngineKind) => void>();
  const dismissed = vi.fn();
  element.addEventListener('mc-choose-engine', (event) => chosen(event.detail.engine));
  element.addEventListener('mc-dismiss-welcome', dismissed);
  await mount(element);
  return { element, chosen, dismissed, region: page.getByRole('region', { name: /welcome/i }) };
}

const SOFTWARE_GPU = 'WebGPU runs on a software renderer here: a model would be far too slow to use.';

describe('mc-welcome', () => {
  it('explains both engines: privacy, the download, WebGPU, the token, and where conversations stay', async () => {
    const { region } = await welcome();
    const deviceCard = region.getByRole('listitem').filter({ hasText: 'This device' });
    const hostedCard = region.getByRole('listitem').filter({ hasText: 'Hugging Face API' });
    await expect.element(deviceCard).toHaveTextContent(/private/i);
    await expect.element(deviceCard).toHaveTextContent(/4 GB/);
    await expect.element(deviceCard).toHaveTextContent(/WebGPU/);
    await expect.element(hostedCard).toHaveTextContent(/token/i);
    await expect.element(hostedCard).toHaveTextContent(/sent to Hugging Face/i);
    await expect.element(region).toHaveTextContent(/conversations .* only in this browser/i);
    await expect.element(region.getByText('Recommended here')).not.toBeInTheDocument();
  });

  it('marks the recommended engine and says why', async () => {
    const { region } = await welcome({ engine: 'hosted', reason: SOFTWARE_GPU });
    const hostedCard = region.getByRole('listitem').filter({ hasText: 'Hugging Face API' });
    await expect.element(hostedCard.getByText('Recommended here')).toBeVisible();
    await expect.element(hostedCard.getByText(SOFTWARE_GPU)).toBeVisible();
    const deviceCard = region.getByRole('listitem').filter({ hasText: 'This device' });
    await expect.element(deviceCard.getByText('Recommended here')).not.toBeInTheDocument();
  });

  it('asks for the engine chosen, and to be dismissed', async () => {
    const { chosen, dismissed } = await welcome({ engine: 'local', reason: 'WebGPU is ready on Apple M2.' });
    await userEvent.click(page.getByRole('button', { name: 'Use this device' }));
    await userEvent.click(page.getByRole('button', { name: 'Use Hugging Face API' }));
    await userEvent.click(page.getByRole('button', { name: 'Got it' }));
    expect(chosen.mock.calls).toEqual([['local'], ['hosted']]);
    expect(dismissed).toHaveBeenCalledOnce();
  });

  it('has no axe violations, in light and dark', async () => {
    const { element } = await welcome({ engine: 'hosted', reason: SOFTWARE_GPU });
    for (const theme of ['light', 'dark']) {
      document.documentElement.dataset.theme = theme;
      // Buttons fade to the new scheme's colours; measure once they are there.
      await Promise.all(element.shadowRoot!.getAnimations().map((animation) => animation.finished));
      const results = await axe.run(element);
      expect(
        results.violations.flatMap((violation) =>
          violation.nodes.map((node) => `${theme} ${violation.id}: ${node.target.join(' ')} ${node.failureSummary}`),
        ),
      ).toEqual([]);
    }
    delete document.documentElement.dataset.theme;
  });
});
