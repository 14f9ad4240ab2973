// crmscore/worker in Node: the engine's Worker is a worker_threads Worker running
// worker-node.js. The worker does not keep the process alive while no call is pending.
import { Worker } from "node:worker_threads";
import { createEngineWith, transfer } from "./engine.js";

export { transfer };

/** Start crmscore in a worker thread; resolves when the wasm is ready. */
export function createEngine() {
  return createEngineWith(() => {
    const w = new Worker(new URL("./worker-node.js", import.meta.url));
    let ended = false;
    return {
      post: (m, t) => w.postMessage(m, t),
      onMessage: (fn) => w.on("message", fn),
      onError: (fn) => {
        w.on("error", fn);
        w.on("exit", (code) => {
          if (!ended) fn(new Error(`the worker exited with code ${code}`));
        });
      },
      terminate: () => {
        ended = true;
        w.terminate();
      },
      ref: () => w.ref(),
      unref: () => w.unref(),
    };
  });
}
