import { deflateSync } from 'node:zlib'

// The app icon, drawn in code: a rounded blue square with a white ring and a dot (a fleet
// around its console). The same drawing makes build/icon.png for the installers and the
// tray/window icons at run time, so no image file has to travel with the main bundle.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  Buffer.from(data).copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** Encode RGBA pixels (row-major, 4 bytes each) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('encodePng: pixel buffer does not match the size')
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // colour type RGBA
  // Each scanline starts with filter byte 0 (None).
  const raw = Buffer.alloc(height * (width * 4 + 1))
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ])
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v))

/** RGBA pixels of the app icon at `size`×`size`, anti-aliased from signed distances. */
export function drawAppIcon(size: number): Uint8Array {
  const px = new Uint8Array(size * size * 4)
  const s = size
  const c = s / 2
  const half = s / 2 - s * 0.04 // the square's half side
  const r = s * 0.2 // its corner radius
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const dx = Math.abs(x + 0.5 - c)
      const dy = Math.abs(y + 0.5 - c)
      // Signed distance to the rounded square (negative inside).
      const qx = dx - (half - r)
      const qy = dy - (half - r)
      const square = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r
      const d = Math.hypot(dx, dy)
      const ring = clamp01(s * 0.3 - d + 0.5) * clamp01(d - s * 0.22 + 0.5)
      const dot = clamp01(s * 0.1 - d + 0.5)
      const bg = clamp01(0.5 - square)
      const fg = Math.max(ring, dot)
      const o = (y * s + x) * 4
      // Blue #2f6fde square, white marks on it.
      px[o] = Math.round(0x2f + (0xff - 0x2f) * fg)
      px[o + 1] = Math.round(0x6f + (0xff - 0x6f) * fg)
      px[o + 2] = Math.round(0xde + (0xff - 0xde) * fg)
      px[o + 3] = Math.round(255 * bg)
    }
  }
  return px
}

const cache = new Map<number, Buffer>()

/** The icon as PNG bytes (drawn once per size). */
export function appIconPng(size: number): Buffer {
  let png = cache.get(size)
  if (!png) cache.set(size, (png = encodePng(size, size, drawAppIcon(size))))
  return png
}
