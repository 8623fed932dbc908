// Finds the Firefox and WebKit the cross-engine smoke tests drive, and the X server WebKit's MiniBrowser needs:
// an environment variable when set, else the Debian paths. `--check` exits non-zero with one line naming the
// packages to install when any is missing, so `npm test` stops before the build instead of failing an hour later.
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExecutable } from './find-chromium.mjs';

const TOOLS = [
  { key: 'firefox', env: 'FIREFOX_PATH', names: ['firefox-esr', 'firefox'], paths: [], pkg: 'firefox-esr' },
  { key: 'webkitDriver', env: 'WEBKIT_DRIVER_PATH', names: ['WebKitWebDriver'], paths: [], pkg: 'webkit2gtk-driver' },
  {
    key: 'miniBrowser',
    env: 'MINIBROWSER_PATH',
    names: [],
    // webkit2gtk-driver depends on libwebkit2gtk, which ships MiniBrowser here (never on PATH).
    paths: [
      '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
      '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    ],
    pkg: 'webkit2gtk-driver',
  },
  { key: 'xvfb', env: 'XVFB_PATH', names: ['Xvfb'], paths: [], pkg: 'xvfb' },
];

/** `{ firefox, webkitDriver, miniBrowser, xvfb }`: each an executable path, or undefined when not found. */
export function findEngines(env = process.env) {
  return Object.fromEntries(TOOLS.map((tool) => [tool.key, findTool(tool, env)]));
}

/** One line saying how to install what `found` lacks; undefined when nothing is missing. */
export function missingEnginesMessage(found) {
  const missing = TOOLS.filter((tool) => !found[tool.key]);
  if (missing.length === 0) return undefined;
  const packages = [...new Set(missing.map((tool) => tool.pkg))].join(' ');
  const variables = missing.map((tool) => tool.env).join(', ');
  return `The Firefox and WebKit smoke tests need ${packages}: install (Debian/Ubuntu: \`sudo apt-get install -y ${packages}\`) or set ${variables}.`;
}

function findTool(tool, env) {
  const override = env[tool.env];
  if (override) return isExecutable(override) ? override : undefined;
  const onPath = (env.PATH ?? '').split(delimiter).flatMap((dir) => tool.names.map((name) => join(dir, name)));
  return [...onPath, ...tool.paths].find(isExecutable);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--check')) {
  const found = findEngines();
  const message = missingEnginesMessage(found);
  if (message) {
    console.error(message);
    process.exit(1);
  }
  console.log(`Firefox: ${found.firefox}; WebKit: ${found.webkitDriver} (${found.miniBrowser}); Xvfb: ${found.xvfb}`);
}
