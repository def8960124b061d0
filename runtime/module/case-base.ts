// The one-code-point case mapping AssemblyScript itself gives (its String case conversion's ASCII,
// U+20000-and-up and circled-letter rules, then util/casemap's table). ops.ts layers the newer
// mappings of unicode-case.ts over it; scripts/gen-unicode-case.mjs compiles this very file to find
// which code points need them.

import { casemap } from "util/casemap";

export function baseCase(cp: u32, upper: bool): u32 {
  if (cp < 0x80) {
    if (upper && cp - 0x61 < 26) return cp - 32;
    if (!upper && cp - 0x41 < 26) return cp + 32;
    return cp;
  }
  // AssemblyScript leaves code points from U+20000 up as they are (none has a case mapping).
  if (cp >= 0x20000) return cp;
  // Circled letters are outside the table (as in AssemblyScript's String case conversion).
  if (!upper && cp - 0x24b6 <= 0x24cf - 0x24b6) return cp + 26;
  if (upper && cp - 0x24d0 <= 0x24e9 - 0x24d0) return cp - 26;
  return <u32>casemap(cp, upper ? 1 : 0) & 0x1fffff;
}
