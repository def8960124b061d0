// The part of the WebAssembly JS API the loader uses. Node provides it at run time, but the project
// compiles without the DOM lib (where TypeScript declares it), so it is declared here.

declare namespace WebAssembly {
  type ImportValue = Memory | ((...args: number[]) => number | void);
  type Imports = Record<string, Record<string, ImportValue>>;
  type ExportValue = Memory | Global | ((...args: number[]) => number);

  class Module {
    constructor(bytes: Uint8Array);
    static customSections(module: Module, name: string): ArrayBuffer[];
    static imports(module: Module): { module: string; name: string; kind: string }[];
    static exports(module: Module): { name: string; kind: string }[];
  }

  function instantiate(bytes: Uint8Array, imports: Imports): Promise<{ module: Module; instance: Instance }>;

  class Instance {
    constructor(module: Module, imports: Imports);
    readonly exports: Record<string, ExportValue>;
  }

  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }

  class Global {
    readonly value: number;
  }
}
