// A minimal line diff (longest common subsequence) for test failure reports. Inputs are a few lines
// of pretty-printed JSON, so the quadratic table is cheap.

/** `- ` lines only in `expected`, `+ ` lines only in `actual`, `  ` lines in both. */
export function lineDiff(expected: readonly string[], actual: readonly string[]): string[] {
  const common = lcsTable(expected, actual);
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < expected.length || j < actual.length) {
    if (i < expected.length && j < actual.length && expected[i] === actual[j]) {
      lines.push(`  ${expected[i++]}`);
      j++;
    } else if (i < expected.length && (j === actual.length || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      lines.push(`- ${expected[i++]}`);
    } else {
      lines.push(`+ ${actual[j++]}`);
    }
  }
  return lines;
}

/** `table[i][j]` = length of the longest common subsequence of `a[i..]` and `b[j..]`. */
function lcsTable(a: readonly string[], b: readonly string[]): number[][] {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  return table;
}
