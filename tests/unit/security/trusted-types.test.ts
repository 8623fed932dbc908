import type { TrustedTypePolicyFactory, TrustedTypePolicyOptions } from 'trusted-types/lib';
import { describe, expect, it } from 'vitest';
import { installScriptUrlPolicy } from '../../../src/security/trusted-types.js';

/** Records the policies created, as the browser's factory would hold them. */
function fakeFactory(defaultPolicy: unknown = null) {
  const created = new Map<string, TrustedTypePolicyOptions>();
  const factory = {
    defaultPolicy,
    createPolicy(name: string, options: TrustedTypePolicyOptions) {
      created.set(name, options);
      return options;
    },
  } as unknown as TrustedTypePolicyFactory;
  const scriptUrl = (input: string) => created.get('default')?.createScriptURL?.(input);
  return { factory, created, scriptUrl };
}

describe('the default Trusted Types policy', () => {
  it('resolves a relative script URL against the page, so a sub-path keeps its own service worker', () => {
    const { factory, scriptUrl } = fakeFactory();
    installScriptUrlPolicy(factory, 'https://someone.github.io/private-chat/');

    expect(scriptUrl('./sw.js')).toBe('https://someone.github.io/private-chat/sw.js');
    expect(scriptUrl('https://someone.github.io/private-chat/assets/worker.js')).toBe(
      'https://someone.github.io/private-chat/assets/worker.js',
    );
  });

  it('refuses a script from another origin', () => {
    const { factory, scriptUrl } = fakeFactory();
    installScriptUrlPolicy(factory, 'https://someone.github.io/private-chat/');

    expect(() => scriptUrl('https://evil.example/sw.js')).toThrow(
      'Refused to load a script from https://evil.example.',
    );
  });

  it('leaves a default policy that already exists alone', () => {
    const existing = fakeFactory({});
    installScriptUrlPolicy(existing.factory, 'https://example.org/');
    expect(existing.created.size).toBe(0);
  });
});
