// Serves a built app (dist/) on 127.0.0.1 the way a plain static host does (GitHub Pages, a folder on a web server):
// right MIME types (a wrong one breaks `WebAssembly.instantiateStreaming` and module workers), no caching (every run
// sees the fresh build), a directory's index.html for the directory, and a 404 for anything else: no rewrite to
// index.html, which the app does not need (it has one page) and which would hide a broken chunk reference. With
// `basePath`, the app lives under that path, as a project site does (`/<repo>/`), and every request outside it is a
// 404 that is recorded, so a test can assert the app never reached above its own folder.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  /** The app's address, e.g. `http://127.0.0.1:41234/` or, with a base path, `http://127.0.0.1:41234/chat/` */
  readonly url: string;
  /** Paths requested outside the base path, in order (always empty without one). */
  readonly outsideBase: readonly string[];
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** Where the app is served, starting and ending with `/`; `/` (the default) is the site root. */
  basePath?: string;
}

export async function startStaticServer(
  root: string,
  { basePath = '/' }: StaticServerOptions = {},
): Promise<StaticServer> {
  if (!basePath.startsWith('/') || !basePath.endsWith('/')) throw new Error(`basePath must start and end with "/".`);
  const rootDir = resolve(root);
  const outsideBase: string[] = [];

  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(basePath)) outsideBase.push(path);
    const insideBase = path.startsWith(basePath) ? `/${(req.url ?? '/').slice(basePath.length)}` : null;
    void (insideBase === null ? Promise.resolve(null) : resolveFile(rootDir, insideBase)).then((file) => {
      if (!file) {
        res
          .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
          .end('Not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': MIME_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': file.size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file.path).pipe(res);
    });
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    outsideBase,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

async function resolveFile(rootDir: string, requestUrl: string): Promise<{ path: string; size: number } | null> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    return null;
  }
  const candidate = normalize(join(rootDir, pathname));
  if (candidate !== rootDir && !candidate.startsWith(rootDir + sep)) return null;

  return fileAt(candidate.endsWith(sep) || candidate === rootDir ? join(candidate, 'index.html') : candidate);
}

async function fileAt(path: string): Promise<{ path: string; size: number } | null> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fileAt(join(path, 'index.html'));
    return info.isFile() ? { path, size: info.size } : null;
  } catch {
    return null;
  }
}
