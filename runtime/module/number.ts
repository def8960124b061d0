// Decimal text ↔ f64, exactly as JavaScript does it: JSON numbers are read correctly rounded on
// all their digits, as JSON.parse reads them (Clinger's fast path, then a big-integer correction of
// the f64 estimate), and numbers are written as Number.prototype.toString writes them (the shortest
// digits that read back to the same double, the closest such digits, ties to even; Steele & White /
// Burger & Dybvig with big integers).

import { REGISTER_SIZE, setU64, mulSmall, mulPow10, shiftLeft, compare, compareSum, subtract, copy } from "./bignum";

const POW10 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);

const MAX_EXACT: u64 = 1 << 53;
// Big-integer registers (each call site of memory.data is its own buffer).
const A = memory.data(REGISTER_SIZE, 4);
const B = memory.data(REGISTER_SIZE, 4);
const R = memory.data(REGISTER_SIZE, 4);
const S = memory.data(REGISTER_SIZE, 4);
const M_PLUS = memory.data(REGISTER_SIZE, 4);
const M_MINUS = memory.data(REGISTER_SIZE, 4);
/** The significand being read: its first 19 digits, or up to MAX_DIGITS of them (loadDigits). */
const DECIMAL = memory.data(REGISTER_SIZE, 4);

function pow10(e: i32): f64 {
  return load<f64>(POW10 + (<usize>e << 3));
}

// --- reading ----------------------------------------------------------------------------------

// The digit loop's state; AssemblyScript has no out-parameters.
let mantissa: u64 = 0;
let digits: i32 = 0;
/** mantissa × 10^exponent is the number without the digits after its 19th significant one. */
let exponent: i64 = 0;
/** Some digit after the 19th significant one is nonzero. */
let truncated = false;

function accumulate(d: u32, fraction: bool): void {
  if (digits == 0 && d == 0) {
    if (fraction) exponent--;
  } else if (digits < 19) {
    mantissa = mantissa * 10 + d;
    digits++;
    if (fraction) exponent--;
  } else {
    if (d != 0) truncated = true;
    if (!fraction) exponent++;
  }
}

/** Converts the JSON number text in `[start, stop)` (already validated) to f64. */
export function parseNumber(start: usize, stop: usize): f64 {
  mantissa = 0;
  digits = 0;
  exponent = 0;
  truncated = false;
  let p = start;
  const negative = load<u8>(p) == 0x2d;
  if (negative) p++;
  const first = p;
  for (; p < stop && <u32>load<u8>(p) - 0x30 < 10; p++) accumulate(<u32>load<u8>(p) - 0x30, false);
  if (p < stop && load<u8>(p) == 0x2e) {
    for (p++; p < stop && <u32>load<u8>(p) - 0x30 < 10; p++) accumulate(<u32>load<u8>(p) - 0x30, true);
  }
  if (p < stop) exponent += readExponent(p + 1, stop);
  // Past ±100000 every nonzero significand gives 0 or Infinity.
  const q = <i32>max(min(exponent, 100000), -100000);
  const magnitude = decimalToDouble(mantissa, q, first, p);
  return negative ? -magnitude : magnitude;
}

/** Exponents beyond this are clamped: larger than any shift the digits of a text (< 2^32 bytes) can undo. */
const EXPONENT_LIMIT: i64 = 1 << 40;

function readExponent(p: usize, stop: usize): i64 {
  const negative = load<u8>(p) == 0x2d;
  if (negative || load<u8>(p) == 0x2b) p++;
  let value: i64 = 0;
  for (; p < stop; p++) value = min(value * 10 + <i64>(load<u8>(p) - 0x30), EXPONENT_LIMIT);
  return negative ? -value : value;
}

/**
 * The double nearest to `d × 10^q` (ties to even), `d` being the first 19 significant digits of
 * the digit text in `[digitsStart, digitsStop)`; when later digits are nonzero (`truncated`), the
 * double nearest to the whole text.
 */
function decimalToDouble(d: u64, q: i32, digitsStart: usize, digitsStop: usize): f64 {
  // d × 10^q ≤ the number < (d + 1) × 10^q, so these bounds hold for the whole text too.
  if (d == 0 || q < -343) return 0;
  if (q > 310) return Infinity;
  const m = <f64>d;
  // A truncated d has 19 digits, more than MAX_EXACT: it never takes the exact path.
  if (d <= MAX_EXACT && q >= -22 && q <= 22) return q < 0 ? m / pow10(-q) : m * pow10(q);
  let z = m;
  for (let e = q; e != 0; ) {
    const step = max(min(e, 22), -22);
    z = step < 0 ? z / pow10(-step) : z * pow10(step);
    e -= step;
  }
  // The correction compares DECIMAL × 10^exact: d × 10^q, or all the digits when d dropped nonzero ones.
  let exact = q;
  if (truncated) exact = loadDigits(digitsStart, digitsStop, q);
  else setU64(DECIMAL, d);
  // The estimate is within a few units in the last place; step to the correctly rounded double.
  for (let i = 0; i < 64; i++) {
    const next = correctionStep(exact, z);
    if (next == z) break;
    z = next;
  }
  return z;
}

/**
 * Significant digits kept for the exact comparison: a midpoint between two doubles has at most 768
 * significant digits, so a number agrees with its first 780 digits plus a sticky nonzero digit
 * (standing for the nonzero rest) on which side of every midpoint it lies.
 */
const MAX_DIGITS = 780;

/**
 * Loads the significand of the digit text in `[p, stop)` into DECIMAL: up to MAX_DIGITS
 * significant digits, then a 1 when a digit after them is nonzero. Returns its power of ten, given
 * `q`, that of the first 19 significant digits.
 */
function loadDigits(p: usize, stop: usize, q: i32): i32 {
  setU64(DECIMAL, 0);
  let count: i32 = 0;
  let chunk: u32 = 0;
  let scale: u32 = 1;
  for (; p < stop; p++) {
    const d = <u32>load<u8>(p) - 0x30;
    if (d >= 10 || (count == 0 && d == 0)) continue;
    if (count == MAX_DIGITS) {
      if (d == 0) continue;
      // A sticky 1 as digit MAX_DIGITS + 1 stands for the nonzero rest.
      chunk = chunk * 10 + 1;
      scale *= 10;
      count++;
      break;
    }
    chunk = chunk * 10 + d;
    scale *= 10;
    count++;
    if (scale == 1000000000) {
      mulSmall(DECIMAL, scale, chunk);
      chunk = 0;
      scale = 1;
    }
  }
  mulSmall(DECIMAL, scale, chunk);
  return q - (count - 19);
}

/** Compares the number (DECIMAL × 10^q) with `(2f + delta) × 2^(e - 1)`, exactly. */
function compareWithHalfUlp(q: i32, f: u64, e: i32, delta: i64): i32 {
  copy(A, DECIMAL);
  setU64(B, <u64>(<i64>(f << 1) + delta));
  if (q >= 0) mulPow10(A, q);
  else mulPow10(B, -q);
  if (e - 1 >= 0) shiftLeft(B, <u32>(e - 1));
  else shiftLeft(A, <u32>(1 - e));
  return compare(A, B);
}

function correctionStep(q: i32, z: f64): f64 {
  if (z == Infinity) z = f64.MAX_VALUE;
  const bits = reinterpret<u64>(z);
  const biased = <i32>(bits >> 52);
  const f = biased == 0 ? bits : (bits & 0xfffffffffffff) | (<u64>1 << 52);
  const e = (biased == 0 ? 1 : biased) - 1075;
  const odd = (f & 1) != 0;
  const above = compareWithHalfUlp(q, f, e, 1);
  if (above > 0 || (above == 0 && odd)) return bits == 0x7fefffffffffffff ? Infinity : reinterpret<f64>(bits + 1);
  // The number is positive: below 0 there is nothing to step to.
  if (bits == 0) return z;
  // At a power of two the gap below is half as wide: the lower midpoint is (4f - 1) × 2^(e - 2).
  const narrowBelow = (bits & 0xfffffffffffff) == 0 && biased > 1;
  const below = narrowBelow ? compareWithHalfUlp(q, f << 1, e - 1, -1) : compareWithHalfUlp(q, f, e, -1);
  if (below < 0 || (below == 0 && odd)) return reinterpret<f64>(bits - 1);
  return z;
}

// --- writing ----------------------------------------------------------------------------------

const DIGITS = memory.data(24);

/** Writes `n` as JavaScript's String(n) would (finite `n` only) at `w`; returns the byte count. */
export function formatNumber(w: usize, n: f64): u32 {
  if (n == 0) {
    store<u8>(w, 0x30);
    return 1;
  }
  if (Math.abs(n) < <f64>MAX_EXACT && Math.floor(n) == n) return formatInteger(w, <i64>n);
  let length: u32 = 0;
  if (n < 0) {
    store<u8>(w, 0x2d);
    length = 1;
    n = -n;
  }
  const count = shortestDigits(n);
  return length + layout(w + length, count, pointPosition);
}

let pointPosition: i32 = 0;

/** Writes the shortest round-tripping digits of `v` > 0 into DIGITS; sets pointPosition (v = 0.d1d2… × 10^pointPosition). */
function shortestDigits(v: f64): u32 {
  const bits = reinterpret<u64>(v);
  const biased = <i32>(bits >> 52);
  const fraction = bits & 0xfffffffffffff;
  const f = biased == 0 ? fraction : fraction | (<u64>1 << 52);
  const e = (biased == 0 ? 1 : biased) - 1075;
  const even = (f & 1) == 0;
  const unequalGaps = fraction == 0 && biased > 1;
  // v = R / S; the rounding interval is (v - M_MINUS / S, v + M_PLUS / S).
  setU64(R, f);
  setU64(S, 1);
  setU64(M_PLUS, 1);
  setU64(M_MINUS, 1);
  shiftLeft(R, unequalGaps ? 2 : 1);
  shiftLeft(S, unequalGaps ? 2 : 1);
  if (unequalGaps) shiftLeft(M_PLUS, 1);
  if (e >= 0) {
    shiftLeft(R, <u32>e);
    shiftLeft(M_PLUS, <u32>e);
    shiftLeft(M_MINUS, <u32>e);
  } else shiftLeft(S, <u32>-e);
  let k = <i32>Math.ceil(Math.log10(v) - 1e-10);
  if (k >= 0) mulPow10(S, k);
  else {
    mulPow10(R, -k);
    mulPow10(M_PLUS, -k);
    mulPow10(M_MINUS, -k);
  }
  const high = compareSum(R, M_PLUS, S);
  if (high > 0 || (high == 0 && even)) k++;
  else scaleBy10();
  pointPosition = k;
  return generate(even);
}

function scaleBy10(): void {
  mulSmall(R, 10);
  mulSmall(M_PLUS, 10);
  mulSmall(M_MINUS, 10);
}

function generate(even: bool): u32 {
  for (let count: u32 = 0; ; count++) {
    let d: u32 = 0;
    while (compare(R, S) >= 0) {
      subtract(R, S);
      d++;
    }
    const low = compare(R, M_MINUS);
    const high = compareSum(R, M_PLUS, S);
    const tooLow = low < 0 || (low == 0 && even);
    const tooHigh = high > 0 || (high == 0 && even);
    if (!tooLow && !tooHigh) {
      store<u8>(DIGITS + count, <u8>d);
      scaleBy10();
      continue;
    }
    if (tooLow && tooHigh) {
      const half = compareSum(R, R, S);
      if (half > 0 || (half == 0 && (d & 1) != 0)) d++;
    } else if (tooHigh) d++;
    store<u8>(DIGITS + count, <u8>d);
    return count + 1;
  }
}

/** Lays out `count` digits with the decimal point at `point` as Number.prototype.toString does. */
function layout(w: usize, count: u32, point: i32): u32 {
  const n = <i32>count;
  let at = w;
  if (n <= point && point <= 21) {
    at = putDigits(at, 0, count);
    for (let i = n; i < point; i++) store<u8>(at++, 0x30);
  } else if (0 < point && point <= 21) {
    at = putDigits(at, 0, <u32>point);
    store<u8>(at++, 0x2e);
    at = putDigits(at, <u32>point, count);
  } else if (-6 < point && point <= 0) {
    store<u8>(at++, 0x30);
    store<u8>(at++, 0x2e);
    for (let i = point; i < 0; i++) store<u8>(at++, 0x30);
    at = putDigits(at, 0, count);
  } else {
    at = putDigits(at, 0, 1);
    if (count > 1) {
      store<u8>(at++, 0x2e);
      at = putDigits(at, 1, count);
    }
    store<u8>(at++, 0x65);
    store<u8>(at++, point - 1 >= 0 ? 0x2b : 0x2d);
    at += formatInteger(at, abs<i64>(point - 1));
  }
  return <u32>(at - w);
}

function putDigits(at: usize, from: u32, to: u32): usize {
  for (let i = from; i < to; i++) store<u8>(at++, 0x30 + load<u8>(DIGITS + i));
  return at;
}

/** Decimal digits of a signed integer; returns the byte count. */
export function formatInteger(w: usize, n: i64): u32 {
  let length: u32 = 0;
  if (n < 0) {
    store<u8>(w, 0x2d);
    w++;
    length++;
    n = -n;
  }
  let count: u32 = 1;
  for (let rest = n / 10; rest > 0; rest /= 10) count++;
  for (let i = count; i > 0; i--) {
    store<u8>(w + i - 1, <u8>(0x30 + n % 10));
    n /= 10;
  }
  return length + count;
}
