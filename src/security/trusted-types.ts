import type { TrustedTypePolicyFactory, TrustedTypesWindow } from 'trusted-types/lib';

/**
 * The CSP demands Trusted Types for every script sink (`require-trusted-types-for 'script'`). HTML gets its own
 * named policies (mc-markdown, dompurify, lit-html); this default policy only vouches for script URLs (the model
 * worker, the service worker), and only for this origin's own files. It has no createHTML or createScript, so a plain
 * string reaching an HTML or script sink still throws.
 *
 * A relative URL is resolved against the page (`baseUrl`), as the sink itself would resolve it: the build's URLs are
 * relative, so under a sub-path `./sw.js` is that folder's worker, never the site root's. A browser without Trusted
 * Types ignores the CSP directive and needs no policy.
 */
export function installScriptUrlPolicy(
  trustedTypes: TrustedTypePolicyFactory | undefined = (window as unknown as TrustedTypesWindow).trustedTypes,
  baseUrl: string = document.baseURI,
): void {
  if (!trustedTypes || trustedTypes.defaultPolicy) return;
  const { origin } = new URL(baseUrl);
  trustedTypes.createPolicy('default', {
    createScriptURL(input: string): string {
      const url = new URL(input, baseUrl);
      if (url.origin !== origin) throw new TypeError(`Refused to load a script from ${url.origin}.`);
      return url.href;
    },
  });
}
