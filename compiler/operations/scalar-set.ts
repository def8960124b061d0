// Collections of scalars as JavaScript Sets, so that sets are counted and compared in linear time
// instead of pair by pair (the interpreter and the IR evaluator share it through the registry).

export interface ScalarSet {
  items: Set<unknown>;
  /** How many items are NaN: NaN equals nothing, itself included, so each is distinct. */
  nans: number;
}

/**
 * The items as a Set, whose SameValueZero is `===` (the language's equality on scalars, -0 = +0)
 * except on NaN, which is counted apart; null when an item is a list or a record.
 */
export function scalarSet(collection: readonly unknown[]): ScalarSet | null {
  const items = new Set<unknown>();
  let nans = 0;
  for (const item of collection) {
    if (typeof item === "object" && item !== null) return null;
    if (item !== item) nans++;
    else items.add(item ?? null);
  }
  return { items, nans };
}
