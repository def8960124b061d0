// Lookups in the generated Unicode tables of unicode-case.ts (scripts/gen-unicode-case.mjs): the
// Cased and Case_Ignorable properties final sigma reads, and the case mappings newer than
// AssemblyScript's own table.

import { CASED, CASE_IGNORABLE, LOWER_ADDED, UPPER_ADDED } from "./generated/unicode-case";

/** Whether `c` is in the sorted [first, last] range table `ranges`. */
function inRanges(ranges: StaticArray<u32>, c: u32): bool {
  let lo = 0;
  let hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < unchecked(ranges[mid << 1])) hi = mid - 1;
    else if (c > unchecked(ranges[(mid << 1) + 1])) lo = mid + 1;
    else return true;
  }
  return false;
}

export function isCased(c: u32): bool {
  return inRanges(CASED, c);
}

export function isCaseIgnorable(c: u32): bool {
  return inRanges(CASE_IGNORABLE, c);
}

/** The newer simple mapping of `c` (lower or upper), or `c` when AssemblyScript's table is current. */
export function addedMapping(c: u32, upper: bool): u32 {
  const pairs = upper ? UPPER_ADDED : LOWER_ADDED;
  let lo = 0;
  let hi = (pairs.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const key = unchecked(pairs[mid << 1]);
    if (c < key) hi = mid - 1;
    else if (c > key) lo = mid + 1;
    else return unchecked(pairs[(mid << 1) + 1]);
  }
  return c;
}
