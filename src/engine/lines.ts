/**
 * The one line-start table: offsets of line starts, and offset -> line/column by binary search
 * over it. No dependencies, so reporters (SARIF) use it without loading a parser.
 */
/** The offset where each line starts (index 0 = line 1). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Offset -> 1-based line and 0-based column, by binary search over the text's line starts. */
export function locator(text: string): (offset: number) => { line: number; column: number } {
  const starts = lineStarts(text);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! };
  };
}
