// The typed face of scripts/find-chromium.mjs, which is plain ESM shared with vitest.config.ts and has no types.
// @ts-expect-error -- a plain ESM script without type declarations.
import * as untyped from '../../scripts/find-chromium.mjs';

interface FindChromiumModule {
  findChromium(env?: NodeJS.ProcessEnv): string | undefined;
  CHROMIUM_FLAGS: readonly string[];
  MISSING_CHROMIUM_MESSAGE: string;
}

const findChromiumModule = untyped as FindChromiumModule;

export const CHROMIUM_FLAGS: readonly string[] = findChromiumModule.CHROMIUM_FLAGS;

/** The Chromium binary to drive; throws the install hint when there is none. */
export function chromiumExecutable(): string {
  const path = findChromiumModule.findChromium();
  if (!path) throw new Error(findChromiumModule.MISSING_CHROMIUM_MESSAGE);
  return path;
}
