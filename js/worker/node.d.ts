// Types of crmscore/worker in Node: the same engine as in browsers (index.d.ts).
export * from "./index.js";
