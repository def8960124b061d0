// The kinds of the type tables the codegen lays out in static data (docs/wasm.md, "Policy static
// data"): validation walks them, and structural equality and hashing walk into the compound ones.
// They and the tables' offsets are part of the ABI (contract/abi/layout.ts).

export {
  KIND_STRING, KIND_NUMBER, KIND_BOOL, KIND_ENUM, KIND_SET, KIND_LIST, KIND_RECORD,
  TYPE_ELEMENT, TYPE_FIELD_COUNT, TYPE_FIELDS, TYPE_ENUM_NAME, TYPE_ENUM_NAME_LENGTH, TYPE_MEMBER_COUNT, TYPE_MEMBERS,
  FIELD_SIZE, FIELD_NAME, FIELD_NAME_LENGTH, FIELD_OPTIONAL, FIELD_TYPE,
} from "./generated/abi";
