// Source positions. Lines and columns are 1-based; columns count UTF-16 code units, like editors do.

export interface Position {
  offset: number;
  line: number;
  column: number;
}

export interface Span {
  file: string;
  start: Position;
  end: Position;
}

/** A source file as read from disk (or handed over in memory by a test). */
export interface SourceFile {
  path: string;
  text: string;
}

/** Converts offsets of one file to line/column positions. */
export class LineMap {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  span(start: number, end: number): Span {
    return { file: this.file, start: this.position(start), end: this.position(end) };
  }
}

/** The smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  return {
    file: a.file,
    start: a.start.offset <= b.start.offset ? a.start : b.start,
    end: a.end.offset >= b.end.offset ? a.end : b.end,
  };
}
