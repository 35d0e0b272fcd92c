// Image dimensions read from the first bytes of PNG, JPEG, GIF and WebP files, and the tokens an
// image block costs by Anthropic's size rule. Invariant: pure; unreadable bytes give undefined, never a throw.

/** Width and height in pixels. */
export interface ImageSize {
  width: number;
  height: number;
  format: 'png' | 'jpeg' | 'gif' | 'webp';
}

/** Anthropic downscales an image whose long edge exceeds this many pixels. */
export const MAX_IMAGE_EDGE_PX = 1568;
/** …or whose area exceeds this many tokens' worth (≈ 1.15 megapixels). */
export const MAX_IMAGE_TOKENS = 1600;
/** Pixels per token in Anthropic's rule (tokens ≈ width × height / 750). */
export const PIXELS_PER_TOKEN = 750;

const u16be = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u16le = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, at: number) => u16le(b, at) | ((b[at + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 0x10000 + u16be(b, at + 2);
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, at + 5), width: u16be(b, at + 7) };
    }
    at += 2 + u16be(b, at + 2);
  }
  return undefined;
}

function webpSize(b: Uint8Array): { width: number; height: number } | undefined {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30) return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    const b1 = b[22] ?? 0;
    const b2 = b[23] ?? 0;
    const b3 = b[24] ?? 0;
    return { width: 1 + (((b1 & 0x3f) << 8) | (b[21] ?? 0)), height: 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)) };
  }
  if (chunk === 'VP8X' && b.length >= 30) return { width: 1 + u24le(b, 24), height: 1 + u24le(b, 27) };
  return undefined;
}

/** The size of a PNG, JPEG, GIF or WebP image from its bytes (the header suffices); undefined otherwise. */
export function imageSize(bytes: Uint8Array): ImageSize | undefined {
  const b = bytes;
  let size: { width: number; height: number } | undefined;
  let format: ImageSize['format'];
  if (b.length >= 24 && u32be(b, 0) === 0x89504e47 && u32be(b, 4) === 0x0d0a1a0a && ascii(b, 12, 4) === 'IHDR') {
    format = 'png';
    size = { width: u32be(b, 16), height: u32be(b, 20) };
  } else if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    format = 'jpeg';
    size = jpegSize(b);
  } else if (b.length >= 10 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    format = 'gif';
    size = { width: u16le(b, 6), height: u16le(b, 8) };
  } else if (b.length >= 16 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    format = 'webp';
    size = webpSize(b);
  } else return undefined;
  if (!size || size.width <= 0 || size.height <= 0) return undefined;
  return { ...size, format };
}

/**
 * Tokens of an image block by Anthropic's rule: scale down (keeping the aspect ratio) until the long
 * edge is at most MAX_IMAGE_EDGE_PX and the area at most MAX_IMAGE_TOKENS × PIXELS_PER_TOKEN, then
 * ceil(width × height / 750). At least 1.
 */
export function imageTokens(width: number, height: number): number {
  if (!(width > 0 && height > 0)) return 0;
  const scale = Math.min(1, MAX_IMAGE_EDGE_PX / Math.max(width, height), Math.sqrt((MAX_IMAGE_TOKENS * PIXELS_PER_TOKEN) / (width * height)));
  const w = Math.max(1, Math.floor(width * scale));
  const h = Math.max(1, Math.floor(height * scale));
  return Math.min(MAX_IMAGE_TOKENS, Math.max(1, Math.ceil((w * h) / PIXELS_PER_TOKEN)));
}

/** Decodes the first bytes of base64 text (enough for any header above). */
export function base64Head(data: string, bytes = 1024 * 1024): Uint8Array {
  const chars = Math.ceil(bytes / 3) * 4;
  return Buffer.from(data.slice(0, chars), 'base64');
}
