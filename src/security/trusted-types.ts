import type { TrustedTypePolicyFactory, TrustedTypesWindow } from 'trusted-types/lib';

/**
 * The CSP demands Trusted Types for every script sink (`require-trusted-types-for 'script'`). HTML gets its own
 * named policies (mc-markdown, dompurify, lit-html); this default policy only vouches for script URLs (the model
 * worker, the service worker), and only for this origin's own files. It has no createHTML or createScript, so a plain
 * string reaching an HTML or script sink still throws.
 */
export function installScriptUrlPolicy(
  trustedTypes: TrustedTypePolicyFactory | undefined = (window as unknown as TrustedTypesWindow).trustedTypes,
  origin: string = location.origin,
): void {
  if (!trustedTypes || trustedTypes.defaultPolicy) return;
  trustedTypes.createPolicy('default', {
    createScriptURL(input: string): string {
      const url = new URL(input, origin);
      if (url.origin !== origin) throw new TypeError(`Refused to load a script from ${url.origin}.`);
      return url.href;
    },
  });
}
