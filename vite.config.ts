import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { webllmModelList } from './scripts/vite-plugin-webllm-models.js';

// @huggingface/inference has no `sideEffects` field, so without this one imported function drags in every provider
// (~99 KB gz). Declaring the package side-effect free lets rolldown keep only what the hosted engine uses.
const HUGGING_FACE_SIDE_EFFECT_FREE = { test: /node_modules[\\/]@huggingface[\\/]/, sideEffects: false };

// The WebLLM worker chunk is ~6.8 MB raw; Workbox refuses (and the plugin fails the build on) anything over its
// 2 MiB default. Precaching it is what lets the local engine start offline once the weights are in WebLLM's cache.
const LARGEST_PRECACHED_FILE_BYTES = 12 * 1024 * 1024;

// Light is the manifest's colour (splash screen, title bar); index.html adds the dark one per colour scheme.
const LIGHT_BACKGROUND = '#ffffff';

export default defineConfig({
  // Relative URLs everywhere (scripts, styles, icons, manifest, worker chunks, service worker), so one dist/ works at
  // a site root and in any folder under it (a GitHub Pages project site is served at /<repo>/). The app is one page:
  // it never needs a server to rewrite other paths to index.html, which relative URLs would resolve wrongly.
  base: './',
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      treeshake: {
        moduleSideEffects: [HUGGING_FACE_SIDE_EFFECT_FREE],
      },
    },
  },
  worker: {
    format: 'es',
  },
  plugins: [
    webllmModelList(),
    VitePWA({
      // "A new version is available — Reload": the new worker waits until the user asks for it.
      registerType: 'prompt',
      // src/pwa/register.ts registers the worker after first paint; the plugin's inline registration script would
      // break the Content-Security-Policy (no inline scripts) and load workbox-window up front.
      injectRegister: false,
      includeAssets: ['favicon.svg', 'apple-touch-icon-180x180.png'],
      manifest: {
        name: 'Private Mistral Chat',
        short_name: 'Mistral Chat',
        description:
          'Chat privately with Mistral-7B on your own GPU, in your browser, or through the Hugging Face API. ' +
          'Conversations stay on this device.',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: LIGHT_BACKGROUND,
        background_color: LIGHT_BACKGROUND,
        lang: 'en',
        dir: 'ltr',
        categories: ['productivity', 'utilities'],
        icons: [
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'maskable-icon-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell and every lazy chunk (hosted client, WebLLM worker, markdown and highlight.js), so each
        // engine's code is there offline after the first visit. Source maps stay out: nobody needs them offline.
        // The manifest, its icons and `includeAssets` are added by the plugin itself.
        globPatterns: ['**/*.{html,js,css,wasm}'],
        maximumFileSizeToCacheInBytes: LARGEST_PRECACHED_FILE_BYTES,
        // The first worker takes over the open tab at once, so chunks loaded later in this visit come from the
        // cache too; updates still wait for the user's "Reload" (no skipWaiting).
        clientsClaim: true,
        // Precache URLs are relative to sw.js, so they follow the folder the app is served from. The one page is
        // answered from the precache whatever its query string (a shared link, an install source), which is what
        // lets it open offline. There is no navigation fallback: the app has no other paths, and index.html served
        // for one would resolve its relative URLs against the wrong folder. The worker sees only same-origin
        // requests and has no runtime caching, so Hugging Face, model hosts and user endpoints go straight to the
        // network; model weights live in WebLLM's own Cache Storage, never in the precache.
        ignoreURLParametersMatching: [/.*/],
        // vite-plugin-pwa would otherwise default this to index.html.
        navigateFallback: null,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: {
    port: 5173,
  },
  preview: {
    port: 4173,
  },
});
