// Small unsigned big integers in static buffers (u32 limbs, little endian), for exact decimal ↔
// binary conversion of doubles. The largest values are compared while reading a number of 781
// significant digits (number.ts MAX_DIGITS plus the sticky one) near the subnormals: D · 2^(1 - e)
// with D < 10^781 < 2^2595 and 1 - e ≤ 1075, against a midpoint of nearly the same size, so just
// under 2^3681 (115 limbs; writing needs only 2^1140). 128 limbs (4096 bits) leave room.

// A register is a static 516-byte buffer (`memory.data(REGISTER_SIZE, 4)` at its declaration):
// the limb count, then 128 limbs.
export const REGISTER_SIZE = 516;

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline function count(a: usize): u32 {
  return load<u32>(a);
}

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline function limb(a: usize, i: u32): u32 {
  return i < count(a) ? load<u32>(a + 4 + (<usize>i << 2)) : 0;
}

function setLimb(a: usize, i: u32, v: u32): void {
  store<u32>(a + 4 + (<usize>i << 2), v);
}

function trim(a: usize): void {
  let n = count(a);
  while (n > 0 && load<u32>(a + (<usize>n << 2)) == 0) n--;
  store<u32>(a, n);
}

export function setU64(a: usize, v: u64): void {
  setLimb(a, 0, <u32>v);
  setLimb(a, 1, <u32>(v >> 32));
  store<u32>(a, 2);
  trim(a);
}

/** a = a × m + addend. */
export function mulSmall(a: usize, m: u32, addend: u32 = 0): void {
  let carry: u64 = addend;
  const n = count(a);
  for (let i: u32 = 0; i < n; i++) {
    const p = <u64>limb(a, i) * m + carry;
    setLimb(a, i, <u32>p);
    carry = p >> 32;
  }
  if (carry != 0) {
    setLimb(a, n, <u32>carry);
    store<u32>(a, n + 1);
  }
}

export function copy(to: usize, from: usize): void {
  memory.copy(to, from, 4 + (<usize>count(from) << 2));
}

export function mulPow10(a: usize, e: i32): void {
  for (; e >= 9; e -= 9) mulSmall(a, 1000000000);
  const small = memory.data<u32>([1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000]);
  if (e > 0) mulSmall(a, load<u32>(small + (<usize>e << 2)));
}

export function shiftLeft(a: usize, bits: u32): void {
  const words = bits >> 5;
  const rest = bits & 31;
  const n = count(a);
  if (n == 0) return;
  for (let i = n; i <= n + words; i++) setLimb(a, i, 0);
  store<u32>(a, n + words + 1);
  for (let i = <i32>n - 1; i >= 0; i--) {
    const v = limb(a, <u32>i);
    if (rest != 0) setLimb(a, <u32>i + words + 1, limb(a, <u32>i + words + 1) | (v >> (32 - rest)));
    setLimb(a, <u32>i + words, v << rest);
  }
  for (let i: u32 = 0; i < words; i++) setLimb(a, i, 0);
  trim(a);
}

export function compare(a: usize, b: usize): i32 {
  const n = count(a);
  const m = count(b);
  if (n != m) return n < m ? -1 : 1;
  for (let i = <i32>n - 1; i >= 0; i--) {
    const x = limb(a, <u32>i);
    const y = limb(b, <u32>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Compares a + b with c. */
export function compareSum(a: usize, b: usize, c: usize): i32 {
  const n = max(max(count(a), count(b)), count(c)) + 1;
  let carry: u64 = 0;
  let result: i32 = 0;
  // Subtract c from a + b limb by limb, remembering the sign of the highest differing limb.
  for (let i: u32 = 0; i < n; i++) {
    const sum = <u64>limb(a, i) + limb(b, i) + carry;
    carry = sum >> 32;
    const s = <u32>sum;
    const t = limb(c, i);
    if (s != t) result = s < t ? -1 : 1;
  }
  return result;
}

/** a -= b (requires a >= b). */
export function subtract(a: usize, b: usize): void {
  let borrow: i64 = 0;
  for (let i: u32 = 0, n = count(a); i < n; i++) {
    const d = <i64>limb(a, i) - limb(b, i) - borrow;
    setLimb(a, i, <u32>d);
    borrow = d < 0 ? 1 : 0;
  }
  trim(a);
}
