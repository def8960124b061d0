// Re-attaches the comments of a file to the line-level items the formatter prints: declarations,
// article items, schema and record fields, registration items.
//
// - A comment inside a block (article, schema, record, registration) is placed among its items.
// - A comment inside any other item leads that item (it moves above it: such items are
//   re-laid out, so there is no stable place inside them).
// - A comment that starts on the line where an item ends, after it, trails that item.
// - Any other comment leads the next item of its block, or dangles at the end of the block.

import type { ArticleItem, Comment, Declaration, FieldDecl, FileNode, Node, RegistrationItem } from "../ast/nodes.js";

export interface CommentPlacement {
  leading: Map<Node, Comment[]>;
  trailing: Map<Node, Comment[]>;
  /** Comments after the last item of a block (a FileNode, ArticleDecl, SchemaDecl, RecordTypeExpr or RegistrationDecl). */
  dangling: Map<Node, Comment[]>;
  /** Comments that were inside the item they lead: they take the item's position for blank-line decisions. */
  moved: Set<Comment>;
}

/** Everything the formatter prints on lines of its own. */
export type LineItem = FileNode | Declaration | ArticleItem | FieldDecl | RegistrationItem;

/** The block a node opens, with its items; undefined for leaf items. */
export function blockOf(node: LineItem): { block: Node; items: readonly LineItem[] } | undefined {
  switch (node.kind) {
    case "File":
      return { block: node, items: node.declarations };
    case "Article":
    case "Registration":
      return { block: node, items: node.items };
    case "Schema":
      return { block: node, items: node.fields };
    case "Field":
      return node.type.kind === "RecordType" ? { block: node.type, items: node.type.fields } : undefined;
    default:
      return undefined;
  }
}

function lastEndingBefore(items: readonly LineItem[], offset: number): LineItem | undefined {
  let found: LineItem | undefined;
  for (const item of items) if (item.span.end.offset <= offset) found = item;
  return found;
}

function push<K>(map: Map<K, Comment[]>, key: K, comment: Comment): void {
  const list = map.get(key);
  if (list) list.push(comment);
  else map.set(key, [comment]);
}

export function placeComments(file: FileNode): CommentPlacement {
  const placement: CommentPlacement = {
    leading: new Map(),
    trailing: new Map(),
    dangling: new Map(),
    moved: new Set(),
  };
  distribute(file.comments, file, placement);
  return placement;
}

function distribute(comments: readonly Comment[], container: LineItem, placement: CommentPlacement): void {
  const { block, items } = blockOf(container)!;
  const nested = new Map<LineItem, Comment[]>();
  for (const comment of comments) {
    const at = comment.span.start;
    const enclosing = items.find((item) => item.span.start.offset < at.offset && at.offset < item.span.end.offset);
    if (enclosing !== undefined) {
      if (blockOf(enclosing)) push(nested, enclosing, comment);
      else {
        push(placement.leading, enclosing, comment);
        placement.moved.add(comment);
      }
      continue;
    }
    const previous = lastEndingBefore(items, at.offset);
    if (previous !== undefined && previous.span.end.line === at.line) {
      push(placement.trailing, previous, comment);
      continue;
    }
    const next = items.find((item) => item.span.start.offset >= comment.span.end.offset);
    push(next === undefined ? placement.dangling : placement.leading, next ?? block, comment);
  }
  for (const [item, inside] of nested) distribute(inside, item, placement);
}
