/**
 * Jest runs the client tests as CommonJS in Node, so a test may `require` a module afresh (inside
 * jest.isolateModules). The client project has no Node types; this is the one Node global its tests use.
 */
declare function require(id: string): any
