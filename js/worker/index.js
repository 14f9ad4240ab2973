// crmscore/worker in browsers and bundlers (Vite, webpack 5, Rollup): the engine's Worker is
// a module Worker made from this package's worker.js, which bundlers pick up from the
// `new Worker(new URL(…, import.meta.url), { type: "module" })` form.
import { createEngineWith, transfer } from "./engine.js";

export { transfer };

/** Start crmscore in a dedicated module Worker; resolves when the wasm is ready. */
export function createEngine() {
  return createEngineWith(() => {
    const w = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "crmscore" });
    return {
      post: (m, t) => w.postMessage(m, t),
      onMessage: (fn) => w.addEventListener("message", (e) => fn(e.data)),
      onError: (fn) => {
        w.addEventListener("error", (e) => {
          e.preventDefault?.();
          fn(e.error ?? new Error(e.message || "worker error"));
        });
        w.addEventListener("messageerror", () => fn(new Error("a message could not be read")));
      },
      terminate: () => w.terminate(),
    };
  });
}
