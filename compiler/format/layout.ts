// The layout of a block of line-level items: leading comments above each item, trailing comments
// at the end of its last line, dangling comments before the block closes, and blank lines.
//
// Blank lines: at most one, kept where the source had one (between the end of the previous element
// and the start of the next); never right after a block opens. A comment moved out of an item
// takes that item's position, so moving it never creates a blank line. A trailing comment keeps its
// source column when the code leaves room for it (authors align them), else follows one space.

import type { Comment, Node } from "../ast/nodes.js";
import type { Position } from "../diagnostics/span.js";
import type { CommentPlacement, LineItem } from "./comments.js";

export const INDENT = "  ";
export const MAX_WIDTH = 100;

export interface Block<T extends LineItem> {
  items: readonly T[];
  /** The node under which comments after the last item dangle. */
  block: Node;
  indent: string;
  print: (item: T, indent: string) => string[];
  /** Decides the blank line between two items: true/false, or undefined to follow the source. */
  separate?: (previous: T, next: T) => boolean | undefined;
}

function sourceHasBlankLine(previousEnd: Position, start: Position): boolean {
  return start.offset >= previousEnd.offset && start.line - previousEnd.line >= 2;
}

export function commentText(comment: Comment): string {
  return comment.text.startsWith("//") ? comment.text.trimEnd() : comment.text;
}

export function printBlock<T extends LineItem>(layout: Block<T>, placement: CommentPlacement): string[] {
  const out: string[] = [];
  let previousEnd: Position | undefined;
  const emit = (lines: string[], start: Position, end: Position, blank: boolean | undefined): void => {
    if (previousEnd !== undefined && (blank ?? sourceHasBlankLine(previousEnd, start))) out.push("");
    out.push(...lines);
    previousEnd = end;
  };
  layout.items.forEach((item, i) => {
    // The separation decision applies to the first element of the item's group (comments + item).
    let separation = i > 0 && layout.separate ? layout.separate(layout.items[i - 1]!, item) : undefined;
    for (const comment of placement.leading.get(item) ?? []) {
      const moved = placement.moved.has(comment);
      emit(
        [layout.indent + commentText(comment)],
        moved ? item.span.start : comment.span.start,
        moved ? item.span.start : comment.span.end,
        separation,
      );
      separation = undefined;
    }
    const trailing = placement.trailing.get(item) ?? [];
    const lines = layout.print(item, layout.indent);
    if (trailing.length > 0) lines[lines.length - 1] = withTrailing(lines[lines.length - 1]!, trailing);
    emit(lines, item.span.start, trailing[trailing.length - 1]?.span.end ?? item.span.end, separation);
  });
  for (const comment of placement.dangling.get(layout.block) ?? [])
    emit([layout.indent + commentText(comment)], comment.span.start, comment.span.end, undefined);
  return out;
}

/** Appends trailing comments, keeping the first at its source column when the line leaves room. */
function withTrailing(line: string, trailing: readonly Comment[]): string {
  const gap = Math.max(1, trailing[0]!.span.start.column - 1 - line.length);
  return `${line}${" ".repeat(gap)}${trailing.map(commentText).join(" ")}`;
}

/** Whether a block has comments of its own to print (so it cannot collapse onto one line). */
export function blockHasComments(block: Node, items: readonly Node[], placement: CommentPlacement): boolean {
  return (
    placement.dangling.has(block) || items.some((item) => placement.leading.has(item) || placement.trailing.has(item))
  );
}
