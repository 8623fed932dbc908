// Finds the Chromium our browser and end-to-end tests drive: $CHROME_PATH, else `chromium` (or a Chrome) on PATH.
// `--check` exits non-zero with one line on how to install it when none is found.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

export function findChromium(env = process.env) {
  if (env.CHROME_PATH) return isExecutable(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of CANDIDATES) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  // The tests assert what the software adapter offers (no shader-f16, its limits). Pinning it keeps them true on a
  // machine with a real GPU too, where Chromium would otherwise pick the hardware adapter.
  '--use-webgpu-adapter=swiftshader',
];

export const MISSING_CHROMIUM_MESSAGE =
  'Chromium not found: install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROME_PATH to a Chromium or Chrome binary.';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--check')) {
  const path = findChromium();
  if (!path) {
    console.error(MISSING_CHROMIUM_MESSAGE);
    process.exit(1);
  }
  console.log(`Chromium: ${path}`);
}
