import { describe, expect, test } from 'vitest';
import {
  describeDestination,
  parseSafeImageUrl,
  parseSafeLinkUrl,
  textShowsDestination,
} from '../../../src/markdown/url-policy.js';

describe('parseSafeLinkUrl', () => {
  test.each([
    ['https://example.com/docs?q=1#top', 'https://example.com/docs?q=1#top'],
    ['http://example.com', 'http://example.com/'],
    ['HTTPS://EXAMPLE.COM/Path', 'https://example.com/Path'],
    ['  https://example.com/padded  ', 'https://example.com/padded'],
    ['mailto:someone@example.com?subject=Hi', 'mailto:someone@example.com?subject=Hi'],
    ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
  ])('accepts %j', (value, href) => {
    expect(parseSafeLinkUrl(value)?.href).toBe(href);
  });

  test.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\u0000javascript:alert(1)',
    '\u0001\u001Fjavascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\rscript:alert(1)',
    'javascript\t:alert(1)',
    // Character references are decoded by the HTML parser before the sanitizer asks; undecoded, they are no scheme.
    'javascript&#58;alert(1)',
    '&#106;avascript:alert(1)',
    'javascript%3Aalert(1)',
    'javascript\uFF1Aalert(1)',
    'vbscript:msgbox(1)',
    'VBScript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:text/html;base64,PHNjcmlwdD4=',
    'DATA:image/svg+xml,<svg onload=alert(1)>',
    'file:///etc/passwd',
    'ftp://example.com/file',
    'blob:https://example.com/uuid',
    'about:blank',
    'chrome://settings',
    '//example.com/protocol-relative',
    '/absolute-path',
    'relative/path',
    '#fragment',
    '',
    'https://',
    'http://',
    'mailto:',
  ])('refuses %j', (value) => {
    expect(parseSafeLinkUrl(value)).toBeNull();
  });
});

describe('parseSafeImageUrl', () => {
  test('accepts http and https images', () => {
    expect(parseSafeImageUrl('https://img.example/cat.png')?.host).toBe('img.example');
    expect(parseSafeImageUrl('http://img.example:8080/cat.png')?.host).toBe('img.example:8080');
  });

  test.each([
    'mailto:a@example.com',
    'data:image/png;base64,AAAA',
    'javascript:alert(1)',
    'cat.png',
    '//img.example/x',
  ])('refuses %j', (value) => {
    expect(parseSafeImageUrl(value)).toBeNull();
  });
});

describe('describeDestination', () => {
  test('names the host with its port, in ASCII so look-alike letters show', () => {
    expect(describeDestination(new URL('https://example.com:8443/x'))).toBe('example.com:8443');
    expect(describeDestination(new URL('https://pаypal.com/'))).toBe('xn--pypal-4ve.com');
  });

  test('names the real host, not the user name that pretends to be one', () => {
    expect(describeDestination(new URL('https://paypal.com@evil.example/login'))).toBe('evil.example');
  });

  test('names the address of a mail link, shortened when very long', () => {
    expect(describeDestination(new URL('mailto:someone@example.com?subject=x'))).toBe('someone@example.com');
    expect(describeDestination(new URL(`mailto:${'a'.repeat(200)}@example.com`)).length).toBe(81);
  });
});

describe('textShowsDestination', () => {
  const url = new URL('https://example.com/docs/page');

  test.each([
    'https://example.com/docs/page',
    'example.com',
    'EXAMPLE.com/docs',
    'http://example.com?x',
    ' example.com ',
  ])('true when the text starts with the host: %j', (text) => {
    expect(textShowsDestination(text, url)).toBe(true);
  });

  test.each([
    'the docs',
    'docs at example.com',
    'example.com.evil.example',
    'example.community',
    'example.com@evil.example',
    'www.example.com',
    'https://exаmple.com',
    '',
  ])('false otherwise: %j', (text) => {
    expect(textShowsDestination(text, url)).toBe(false);
  });

  test('a mail link shows its destination when the text is the address', () => {
    const mail = new URL('mailto:someone@example.com');
    expect(textShowsDestination('someone@example.com', mail)).toBe(true);
    expect(textShowsDestination('write to us', mail)).toBe(false);
  });
});
