// A small QR code encoder (ISO/IEC 18004), written for READI's join links:
// byte mode (UTF-8), error correction level M (about 15% of the symbol can
// be damaged or covered), versions 1 to 40, the mask with the lowest
// penalty. The symbol is drawn as one SVG path, black on white whatever the
// theme, with the quiet zone scanners need. Loaded only by the class screens.
// testdata/qr/ holds reference symbols the browser tests compare against.
import { s } from "../dom.js";

// Error correction codewords per block and number of blocks, level M, by version.
const ECC_PER_BLOCK = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
  26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
const BLOCKS = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
  17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
const FORMAT_M = 0; // level M's two format bits are 00

/** rawModules is how many modules of a version carry data and error correction. */
function rawModules(v) {
  let n = (16 * v + 128) * v + 64;
  if (v >= 2) {
    const align = Math.floor(v / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (v >= 7) n -= 36;
  }
  return n;
}

function dataCodewords(v) {
  return Math.floor(rawModules(v) / 8) - ECC_PER_BLOCK[v] * BLOCKS[v];
}

function alignmentPositions(v) {
  if (v === 1) return [];
  const size = v * 4 + 17;
  const n = Math.floor(v / 7) + 2;
  const step = v === 32 ? 26 : Math.ceil((size - 13) / (n * 2 - 2)) * 2;
  const out = [6];
  for (let pos = size - 7; out.length < n; pos -= step) out.splice(1, 0, pos);
  return out;
}

// Reed-Solomon over GF(256) with the polynomial x^8 + x^4 + x^3 + x^2 + 1.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
}
const mul = (a, b) => (a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]]);

/** generator is the RS generator polynomial of a degree, highest term first (its leading 1 left out). */
function generator(degree) {
  const g = new Uint8Array(degree);
  g[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      g[j] = mul(g[j], root);
      if (j + 1 < degree) g[j] ^= g[j + 1];
    }
    root = mul(root, 2);
  }
  return g;
}

function remainder(data, gen) {
  const out = new Uint8Array(gen.length);
  for (const b of data) {
    const factor = b ^ out[0];
    out.copyWithin(0, 1);
    out[out.length - 1] = 0;
    for (let i = 0; i < gen.length; i++) out[i] ^= mul(gen[i], factor);
  }
  return out;
}

/** codewords turns bytes into the version's interleaved data and error correction codewords. */
function codewords(bytes, v) {
  const capacity = dataCodewords(v);
  const bits = [];
  const put = (val, len) => { for (let i = len - 1; i >= 0; i--) bits.push((val >>> i) & 1); };
  put(0b0100, 4); // byte mode
  put(bytes.length, v < 10 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacity * 8 - bits.length)); // terminator
  put(0, (8 - (bits.length % 8)) % 8);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; data.length < capacity; pad ^= 0xec ^ 0x11) data.push(pad);

  const blocks = BLOCKS[v];
  const ecc = ECC_PER_BLOCK[v];
  const total = Math.floor(rawModules(v) / 8);
  const short = blocks - (total % blocks);
  const shortLen = Math.floor(total / blocks) - ecc; // data codewords of a short block
  const gen = generator(ecc);
  const dataBlocks = [];
  const eccBlocks = [];
  for (let i = 0, at = 0; i < blocks; i++) {
    const len = shortLen + (i < short ? 0 : 1);
    const d = data.slice(at, at + len);
    at += len;
    dataBlocks.push(d);
    eccBlocks.push(remainder(d, gen));
  }
  const out = [];
  for (let i = 0; i <= shortLen; i++) {
    for (const d of dataBlocks) if (i < d.length) out.push(d[i]);
  }
  for (let i = 0; i < ecc; i++) {
    for (const e of eccBlocks) out.push(e[i]);
  }
  return out;
}

const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

class QrSymbol {
  constructor(v) {
    this.size = v * 4 + 17;
    this.dark = Array.from({ length: this.size }, () => new Array(this.size).fill(false));
    this.fixed = Array.from({ length: this.size }, () => new Array(this.size).fill(false));
    this.version = v;
  }

  set(x, y, dark) {
    this.dark[y][x] = dark;
    this.fixed[y][x] = true;
  }

  functionPatterns() {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      this.set(6, i, i % 2 === 0);
      this.set(i, 6, i % 2 === 0);
    }
    for (const [cx, cy] of [[3, 3], [n - 4, 3], [3, n - 4]]) {
      for (let dy = -4; dy <= 4; dy++) {
        for (let dx = -4; dx <= 4; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x < 0 || y < 0 || x >= n || y >= n) continue;
          const d = Math.max(Math.abs(dx), Math.abs(dy));
          this.set(x, y, d !== 2 && d !== 4);
        }
      }
    }
    const pos = alignmentPositions(this.version);
    const last = pos.length - 1;
    pos.forEach((cx, i) => pos.forEach((cy, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) this.set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }));
    this.format(0); // reserves the format areas; drawn again with the chosen mask
    if (this.version >= 7) {
      let rem = this.version;
      for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
      const bits = (this.version << 12) | rem;
      for (let i = 0; i < 18; i++) {
        const dark = ((bits >>> i) & 1) === 1;
        const a = n - 11 + (i % 3);
        const b = Math.floor(i / 3);
        this.set(a, b, dark);
        this.set(b, a, dark);
      }
    }
  }

  format(mask) {
    const data = (FORMAT_M << 3) | mask;
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((data << 10) | rem) ^ 0x5412;
    const bit = (i) => ((bits >>> i) & 1) === 1;
    const n = this.size;
    for (let i = 0; i <= 5; i++) this.set(8, i, bit(i));
    this.set(8, 7, bit(6));
    this.set(8, 8, bit(7));
    this.set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) this.set(n - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.set(8, n - 15 + i, bit(i));
    this.set(8, n - 8, true); // the dark module
  }

  place(words) {
    const n = this.size;
    let i = 0;
    for (let right = n - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      const upward = ((right + 1) & 2) === 0;
      for (let vert = 0; vert < n; vert++) {
        for (let j = 0; j < 2; j++) {
          const x = right - j;
          const y = upward ? n - 1 - vert : vert;
          if (this.fixed[y][x] || i >= words.length * 8) continue;
          this.dark[y][x] = ((words[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
          i++;
        }
      }
    }
  }

  applyMask(mask) {
    const f = MASKS[mask];
    for (let y = 0; y < this.size; y++) {
      for (let x = 0; x < this.size; x++) {
        if (!this.fixed[y][x] && f(x, y)) this.dark[y][x] = !this.dark[y][x];
      }
    }
  }

  /** penalty scores a masked symbol by the standard's four rules; lower is better. */
  penalty() {
    const n = this.size;
    const m = this.dark;
    let score = 0;
    const line = (get) => {
      let run = 1;
      for (let i = 1; i <= n; i++) {
        if (i < n && get(i) === get(i - 1)) {
          run++;
        } else {
          if (run >= 5) score += run - 2;
          run = 1;
        }
      }
      // 1:1:3:1:1 finder look-alikes with four light modules on one side
      for (let i = 0; i + 11 <= n; i++) {
        const p = [];
        for (let k = 0; k < 11; k++) p.push(get(i + k) ? 1 : 0);
        const s11 = p.join("");
        if (s11 === "10111010000" || s11 === "00001011101") score += 40;
      }
    };
    for (let y = 0; y < n; y++) line((x) => m[y][x]);
    for (let x = 0; x < n; x++) line((y) => m[y][x]);
    let dark = 0;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        if (m[y][x]) dark++;
        if (x + 1 < n && y + 1 < n && m[y][x] === m[y][x + 1] && m[y][x] === m[y + 1][x] && m[y][x] === m[y + 1][x + 1]) score += 3;
      }
    }
    const total = n * n;
    score += (Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1) * 10;
    return score;
  }
}

/**
 * encode returns the QR symbol of text as rows of booleans (true is dark),
 * without the quiet zone. opts.mask (0–7) forces a mask; opts.version a
 * minimum version.
 */
export function encode(text, opts = {}) {
  const bytes = new TextEncoder().encode(text);
  let v = Math.max(1, opts.version || 1);
  for (; v <= 40; v++) {
    const need = 4 + (v < 10 ? 8 : 16) + bytes.length * 8;
    if (need <= dataCodewords(v) * 8) break;
  }
  if (v > 40) throw new RangeError("text too long for a QR code");
  const words = codewords(bytes, v);
  const build = (mask) => {
    const sym = new QrSymbol(v);
    sym.functionPatterns();
    sym.place(words);
    sym.applyMask(mask);
    sym.format(mask);
    return sym;
  };
  let best = null;
  if (opts.mask != null) {
    best = build(opts.mask);
  } else {
    let low = Infinity;
    for (let mask = 0; mask < 8; mask++) {
      const sym = build(mask);
      const p = sym.penalty();
      if (p < low) {
        low = p;
        best = sym;
      }
    }
  }
  return best.dark;
}

/** qrSvg draws text's QR code as an SVG image with label as its accessible name. */
export function qrSvg(text, label) {
  const rows = encode(text);
  const quiet = 4;
  const n = rows.length + quiet * 2;
  let d = "";
  rows.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  }));
  return s("svg", { viewBox: `0 0 ${n} ${n}`, class: "qr", role: "img", "aria-label": label, "shape-rendering": "crispEdges", "data-modules": rows.length },
    s("rect", { width: n, height: n, fill: "#fff" }),
    s("path", { d, fill: "#000" }));
}
