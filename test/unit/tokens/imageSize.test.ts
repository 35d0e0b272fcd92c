import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageSize, imageTokens, MAX_IMAGE_TOKENS } from '../../../src/core/tokens/imageSize';
import { toolResultParts } from '../../../src/core/tokens/text';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/images', name));

describe('image sizes from real files', () => {
  it.each([
    ['img.png', 'png', 37, 23],
    ['tiny20.png', 'png', 20, 20],
    ['img.gif', 'gif', 37, 23],
    ['big.jpg', 'jpeg', 2000, 1000],
    ['prog.jpg', 'jpeg', 300, 200],
    ['lossy.webp', 'webp', 37, 23],
    ['lossless.webp', 'webp', 37, 23],
    ['alpha.webp', 'webp', 37, 23],
  ])('reads %s', (file, format, width, height) => {
    expect(imageSize(fixture(file))).toEqual({ format, width, height });
  });

  it('gives undefined for bytes that are no image, or a cut header', () => {
    expect(imageSize(Buffer.from('hello world, not an image'))).toBeUndefined();
    expect(imageSize(new Uint8Array())).toBeUndefined();
    expect(imageSize(fixture('img.png').subarray(0, 12))).toBeUndefined();
    expect(imageSize(fixture('big.jpg').subarray(0, 8))).toBeUndefined();
  });
});

describe("image tokens by Anthropic's size rule", () => {
  it('is width × height / 750 for an image within the limits', () => {
    expect(imageTokens(200, 200)).toBe(54); // 40,000 / 750 = 53.3
    expect(imageTokens(1000, 1000)).toBe(1334);
    expect(imageTokens(20, 20)).toBe(1);
  });

  it('scales down a large image first: never more than ~1,600 tokens', () => {
    // 2000×1000 → long edge 1568 → 1568×784 = 1,229,312 px > 1.2 MP → area cap
    const t = imageTokens(2000, 1000);
    expect(t).toBeLessThanOrEqual(MAX_IMAGE_TOKENS);
    expect(t).toBeGreaterThan(1590);
    expect(imageTokens(8000, 100)).toBe(Math.ceil((1568 * 19) / 750)); // long edge bound
  });
});

describe('results as a client sends them', () => {
  it('counts an image block by its size, not its base64 text', () => {
    const data = fixture('tiny20.png').toString('base64');
    const parts = toolResultParts([{ type: 'text', text: 'a red square' }, { type: 'image', data, mimeType: 'image/png' }]);
    expect(parts).toEqual({ text: 'a red square', imageTokens: 1, unreadableImages: 0 });
  });

  it('counts a resource by its text and a binary one by a stand-in', () => {
    const parts = toolResultParts([
      { type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'file body' } },
      { type: 'resource', resource: { uri: 'file:///b.bin', mimeType: 'application/octet-stream', blob: 'AAAA' } },
      { type: 'resource_link', uri: 'file:///c', name: 'c' },
    ]);
    expect(parts.text).toBe('file body\n[resource file:///b.bin application/octet-stream]\n[resource file:///c c]');
    expect(parts.imageTokens).toBe(0);
  });

  it('counts an image it cannot read at the most an image costs', () => {
    expect(toolResultParts([{ type: 'image', data: 'bm90IGFuIGltYWdl', mimeType: 'image/png' }])).toEqual({ text: '', imageTokens: MAX_IMAGE_TOKENS, unreadableImages: 1 });
  });

  it('leaves other values as JSON text', () => {
    expect(toolResultParts([{ id: 1 }]).text).toBe('[{"id":1}]');
    expect(toolResultParts('plain').text).toBe('plain');
    expect(toolResultParts(1, { message: 'boom' }).text).toBe('Error: boom');
  });
});
