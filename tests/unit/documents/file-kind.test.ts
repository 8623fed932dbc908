import { describe, expect, it } from 'vitest';
import { fileKind } from '../../../src/documents/file-kind.js';

describe('fileKind', () => {
  it.each([
    ['REPORT.PDF', '', { kind: 'pdf', type: 'application/pdf' }],
    ['download', 'application/pdf', { kind: 'pdf', type: 'application/pdf' }],
    ['page.HTM', '', { kind: 'html', type: 'text/html' }],
    ['notes.markdown', '', { kind: 'text', type: 'text/markdown' }],
    ['table.tsv', '', { kind: 'text', type: 'text/tab-separated-values' }],
    ['map.geojson', '', { kind: 'text', type: 'application/json' }],
    ['src/app.tsx', '', { kind: 'text', type: 'text/x-typescript' }],
    ['Dockerfile', '', { kind: 'text', type: 'text/x-dockerfile' }],
    ['manifest', 'application/manifest+json', { kind: 'text', type: 'application/json' }],
    ['.bashrc', '', { kind: 'text', type: 'text/plain' }],
    ['photo.jpeg', 'image/jpeg', { kind: 'unsupported', what: 'an image' }],
    ['song', 'audio/mpeg; codecs=mp3', { kind: 'unsupported', what: 'an audio file' }],
  ])('%s (%s)', (name, type, kind) => {
    expect(fileKind(name, type)).toEqual(kind);
  });

  it('trusts a known text extension over a misleading reported type', () => {
    expect(fileKind('notes.txt', 'image/png')).toEqual({ kind: 'text', type: 'text/plain' });
  });
});
