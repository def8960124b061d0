// The kinds of the type tables the codegen lays out in static data (docs/wasm.md, "Policy static
// data"): validation walks them, and structural equality and hashing walk into the compound ones.
// compiler/codegen/static-data.ts writes the same numbers.

export const KIND_STRING: u32 = 1;
export const KIND_NUMBER: u32 = 2;
export const KIND_BOOL: u32 = 3;
export const KIND_ENUM: u32 = 4;
export const KIND_SET: u32 = 5;
export const KIND_LIST: u32 = 6;
export const KIND_RECORD: u32 = 7;
