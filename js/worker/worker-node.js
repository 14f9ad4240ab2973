// The engine's worker_threads Worker in Node (crmscore/worker): loads the Node build of
// crmscore and serves it (serve.js).
import { parentPort } from "node:worker_threads";
import * as lib from "../node/crmscore.mjs";
import { serve } from "./serve.js";

serve(lib, {
  post: (m, transfer) => parentPort.postMessage(m, transfer),
  listen: (fn) => parentPort.on("message", fn),
});
