// Article numbers: Roman numerals in canonical form (I … MMMCMXCIX) or positive decimal integers.

const CANONICAL_ROMAN = /^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/;
const ROMAN_DIGITS: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
const ROMAN_STEPS: [number, string][] = [
  [1000, "M"],
  [900, "CM"],
  [500, "D"],
  [400, "CD"],
  [100, "C"],
  [90, "XC"],
  [50, "L"],
  [40, "XL"],
  [10, "X"],
  [9, "IX"],
  [5, "V"],
  [4, "IV"],
  [1, "I"],
];
const MAX_ARTICLE = 3999;

export type ArticleNumberReading = { ok: true; value: number } | { ok: false; hint: string };

export function toRoman(value: number): string {
  let rest = value;
  let roman = "";
  for (const [step, letters] of ROMAN_STEPS) {
    while (rest >= step) {
      roman += letters;
      rest -= step;
    }
  }
  return roman;
}

/** The additive/subtractive reading of any string of Roman digits, for "did you mean" hints. */
function looseRomanValue(text: string): number | undefined {
  if (!/^[IVXLCDM]+$/.test(text)) return undefined;
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = ROMAN_DIGITS[text[i]!]!;
    const next = ROMAN_DIGITS[text[i + 1] ?? ""] ?? 0;
    total += digit < next ? -digit : digit;
  }
  return total;
}

const NO_LEADING_ZEROS = "decimal article numbers have no leading zeros";
const GENERAL_HINT =
  "article numbers are Roman numerals from `I` to `MMMCMXCIX` (like `VII`) or decimal integers (like `7`)";

export function readArticleNumber(text: string): ArticleNumberReading {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    const hint = `decimal article numbers run from 1 to ${MAX_ARTICLE}`;
    if (value < 1 || value > MAX_ARTICLE) return { ok: false, hint };
    if (text.startsWith("0")) return { ok: false, hint: `did you mean \`${value}\`? ${NO_LEADING_ZEROS}` };
    return { ok: true, value };
  }
  if (text !== "" && CANONICAL_ROMAN.test(text)) return { ok: true, value: looseRomanValue(text)! };
  const loose = looseRomanValue(text);
  if (loose !== undefined && loose >= 1 && loose <= MAX_ARTICLE)
    return { ok: false, hint: `did you mean \`${toRoman(loose)}\`? ${GENERAL_HINT}` };
  return { ok: false, hint: GENERAL_HINT };
}
