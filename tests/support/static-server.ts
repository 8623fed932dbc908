// Serves a built app (dist/) on 127.0.0.1 the way a plain static host does (GitHub Pages, a folder on a web server):
// right MIME types (a wrong one breaks `WebAssembly.instantiateStreaming` and module workers), no caching (every run
// sees the fresh build), a directory's index.html for the directory, and a 404 for anything else: no rewrite to
// index.html, which the app does not need (it has one page) and which would hide a broken chunk reference. With
// `basePath`, the app lives under that path, as a project site does (`/<repo>/`), and every request outside it is a
// 404 that is recorded, so a test can assert the app never reached above its own folder. Text files are sent gzipped
// to a browser that accepts it, as GitHub Pages and most hosts do: Lighthouse's network figures depend on it.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipped = promisify(gzip);

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

/** What a static host compresses: text. Images, fonts and WebAssembly are sent as they are. */
const COMPRESSED_TYPES = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.webmanifest', '.svg', '.txt']);

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
  const compressedFiles = new Map<string, Promise<Buffer>>();

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
      const type = extname(file.path).toLowerCase();
      const headers = { 'Content-Type': MIME_TYPES[type] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
      if (COMPRESSED_TYPES.has(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        void compressedOnce(compressedFiles, file).then(
          (body) => {
            res.writeHead(200, {
              ...headers,
              'Content-Encoding': 'gzip',
              'Content-Length': body.length,
              Vary: 'Accept-Encoding',
            });
            res.end(req.method === 'HEAD' ? undefined : body);
          },
          () => res.writeHead(500, { 'Cache-Control': 'no-store' }).end(),
        );
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Length': file.size });
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

/** Each version of a file is compressed once, not on every request; a file changed in place (a deploy) is again. */
function compressedOnce(cache: Map<string, Promise<Buffer>>, file: ServedFile): Promise<Buffer> {
  const key = `${file.path}\n${file.size}\n${file.modifiedMs}`;
  let body = cache.get(key);
  if (!body) {
    body = readFile(file.path).then((bytes) => gzipped(bytes));
    cache.set(key, body);
  }
  return body;
}

interface ServedFile {
  path: string;
  size: number;
  modifiedMs: number;
}

async function resolveFile(rootDir: string, requestUrl: string): Promise<ServedFile | null> {
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

async function fileAt(path: string): Promise<ServedFile | null> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fileAt(join(path, 'index.html'));
    return info.isFile() ? { path, size: info.size, modifiedMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}
