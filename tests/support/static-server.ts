// Serves a built app (dist/) on 127.0.0.1 the way a static host would: right MIME types (a wrong one breaks
// `WebAssembly.instantiateStreaming` and module workers), no caching (every run sees the fresh build), and an SPA
// fallback so a reload on any app path gets index.html. A missing asset is a 404, never index.html, so a broken
// chunk reference fails loudly instead of parsing HTML as JavaScript.
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
  /** e.g. `http://127.0.0.1:41234/` */
  readonly url: string;
  close(): Promise<void>;
}

export async function startStaticServer(root: string): Promise<StaticServer> {
  const rootDir = resolve(root);
  const indexHtml = join(rootDir, 'index.html');

  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    void resolveFile(rootDir, indexHtml, req.url ?? '/').then((file) => {
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
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

async function resolveFile(
  rootDir: string,
  indexHtml: string,
  requestUrl: string,
): Promise<{ path: string; size: number } | null> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    return null;
  }
  const candidate = normalize(join(rootDir, pathname));
  if (candidate !== rootDir && !candidate.startsWith(rootDir + sep)) return null;

  const found = await fileAt(
    candidate.endsWith(sep) || candidate === rootDir ? join(candidate, 'index.html') : candidate,
  );
  if (found) return found;
  // An app route (no file extension) is the SPA's to handle; a missing asset stays missing.
  return extname(pathname) === '' ? fileAt(indexHtml) : null;
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
