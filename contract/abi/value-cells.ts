// The module's value cells (runtime/module/value.ts): 16 bytes, a tag at +0. The loader reads them
// and the codegen writes static ones, so both take the tags from here.

export const TAG_NULL = 1;
export const TAG_BOOL = 2;
export const TAG_NUMBER = 3;
export const TAG_STRING = 4;
export const TAG_ARRAY = 5;
export const TAG_OBJECT = 6;
export const TAG_SET = 7;
export const CELL_SIZE = 16;
