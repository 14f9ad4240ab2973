// The engine's dedicated module Worker in browsers (crmscore/worker, web and bundlers): loads
// the web build of crmscore and serves it (serve.js).
import init, * as lib from "../web/crmscore.js";
import { serve, errorMessage } from "./serve.js";

const port = {
  post: (m, transfer) => self.postMessage(m, transfer),
  listen: (fn) => self.addEventListener("message", (e) => fn(e.data)),
};

init().then(
  (wasm) => serve(lib, port, wasm.memory),
  (e) => self.postMessage({ failed: errorMessage(e) }),
);
