// The main-thread side of crmscore/worker: an engine whose methods are the async twins of
// crmscore's exports, each call run in a Worker (see serve.js for the protocol).
//
// - engine.rfm(orders, options) resolves to what rfm(orders, options) returns; a class
//   (engine.Scorer(...)) or a result that is a class instance (engine.fitBgNbd(...)) comes
//   back as a remote handle whose methods return promises and whose getters are promises.
// - Options objects may carry `signal` (AbortSignal) and `onProgress(fraction)`; they are taken
//   out before the call is sent. onProgress hears 0 when the call is sent, the fraction done at
//   most every 50 ms while it runs (from the core's checkpoints), and 1 with the result. An abort rejects the call at once with a DOMException named
//   AbortError; if the call was already running, the worker is ended (the only way to stop
//   wasm mid-call) and a fresh one takes the calls that were still queued; handles of the
//   ended worker reject with a CrmScoreError (code "engine_restarted").
// - A crashed worker rejects every pending call; the next call starts a fresh worker.

import { HANDLE } from "./serve.js";

const ID = Symbol("crmscore.handle");
const TRANSFER = new WeakMap();

/**
 * Mark `value` (an argument) to be moved into the worker instead of copied: its typed arrays'
 * buffers (or the `transferables` given) are transferred and become unusable here.
 */
export function transfer(value, transferables) {
  TRANSFER.set(value, transferables ?? buffersOf(value));
  return value;
}

function buffersOf(v) {
  if (ArrayBuffer.isView(v)) return [v.buffer];
  if (v instanceof ArrayBuffer) return [v];
  const out = [];
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const x of Object.values(v)) if (ArrayBuffer.isView(x) && !out.includes(x.buffer)) out.push(x.buffer);
  }
  return out;
}

function engineError(code, message) {
  const e = new Error(message);
  e.name = "CrmScoreError";
  e.code = code;
  return e;
}

function revive(err) {
  const e = new Error(err.message);
  e.name = err.name;
  for (const k of ["code", "table", "row", "field", "path"]) if (err[k] !== undefined) e[k] = err[k];
  return e;
}

function abortError(signal) {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  return new DOMException("the crmscore call was aborted", "AbortError");
}

const isPlain = (v) => v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;

/** Take `signal` and `onProgress` out of the options objects among `args`. */
function callOptions(args) {
  let signal;
  let onProgress;
  const out = args.map((a) => {
    if (!isPlain(a) || !("signal" in a || "onProgress" in a)) return a;
    const { signal: s, onProgress: p, ...rest } = a;
    if (s !== undefined) signal = s;
    if (p !== undefined) onProgress = p;
    if (TRANSFER.has(a)) TRANSFER.set(rest, TRANSFER.get(a));
    return rest;
  });
  return { args: out, signal, onProgress };
}

/**
 * An engine on workers made by `spawn()`, which returns { post(message, transfer),
 * onMessage(fn), onError(fn), terminate(), ref?(), unref?() }.
 */
export async function createEngineWith(spawn) {
  let worker = null; // { port, generation, ready: Promise<exports> }
  let generation = 0;
  let nextId = 1;
  const pending = new Map(); // id -> { message, transfer, resolve, reject, generation, started }
  const registry = typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry(({ id, gen }) => {
      if (worker !== null && worker.generation === gen) worker.port.post({ id: 0, op: "free", handle: id }, []);
    })
    : null;

  function start() {
    const port = spawn();
    const gen = ++generation;
    const w = { port, generation: gen };
    w.ready = new Promise((resolve, reject) => {
      port.onMessage((m) => {
        if (m.ready) return resolve(m.exports);
        if (m.failed) return reject(revive(m.failed));
        const p = pending.get(m.id);
        if (p === undefined) return;
        if (m.progress !== undefined) return p.progress?.(m.progress);
        pending.delete(m.id);
        idle();
        if (m.ok) p.resolve(m.value);
        else p.reject(revive(m.error));
      });
      port.onError((e) => {
        const err = engineError("engine_failed", `crmscore engine: the worker failed (${e && e.message ? e.message : e})`);
        reject(err);
        if (worker === w) worker = null;
        for (const [id, p] of pending) {
          if (p.generation === gen) {
            pending.delete(id);
            p.reject(err);
          }
        }
        port.terminate();
      });
    });
    w.ready.then(() => idle(), () => {});
    worker = w;
    return w;
  }

  function idle() {
    if (worker !== null && pending.size === 0 && worker.port.unref) worker.port.unref();
  }

  function send(message, transferList, signal, userProgress) {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    // Fractions only grow (a call of several phases may report a phase's start again).
    let shown = -1;
    const onProgress = userProgress && ((f) => {
      if (f > shown) {
        shown = f;
        userProgress(f);
      }
    });
    const w = worker ?? start();
    const id = nextId++;
    const msg = { ...message, id };
    return new Promise((resolve, reject) => {
      const p = {
        progress: onProgress,
        message: msg,
        transfer: transferList,
        generation: w.generation,
        resolve: (v) => {
          signal?.removeEventListener("abort", onAbort);
          if (onProgress) onProgress(1);
          resolve(wrapValue(v, p.generation));
        },
        reject: (e) => {
          signal?.removeEventListener("abort", onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        if (!pending.has(id)) return;
        pending.delete(id);
        reject(abortError(signal));
        restart();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      pending.set(id, p);
      if (w.port.ref) w.port.ref();
      if (onProgress) onProgress(0);
      w.ready.then(
        () => {
          if (pending.has(id) && worker === w) w.port.post(msg, transferList);
        },
        () => {},
      );
    });
  }

  // End the worker that runs an aborted call; the calls still queued move to a fresh one,
  // unless they name a handle of the ended worker.
  function restart() {
    const old = worker;
    if (old === null) return;
    worker = null;
    old.port.terminate();
    const w = start();
    for (const [id, p] of pending) {
      if (p.generation !== old.generation) continue;
      if (p.message.handle !== undefined || p.message.refersToHandle) {
        pending.delete(id);
        p.reject(engineError("engine_restarted", "crmscore engine: the worker holding this handle was ended when a call was aborted"));
        continue;
      }
      p.generation = w.generation;
      w.ready.then(() => {
        if (pending.has(id) && worker === w) w.port.post(p.message, p.transfer);
      }, () => {});
    }
  }


  // Arguments: remote handles → references; transfer lists from transfer().
  function prepare(rawArgs) {
    const { args, signal, onProgress } = callOptions(rawArgs);
    const transferList = [];
    let gen = null;
    const ref = (v) => {
      const h = v?.[ID];
      if (h === undefined) return v;
      if (gen === null) gen = h.gen;
      if (h.gen !== (worker?.generation ?? h.gen) || h.freed) {
        throw engineError("engine_restarted", `crmscore engine: this ${h.cls} belongs to a worker that was ended, or was freed`);
      }
      return { [HANDLE]: h.id, cls: h.cls };
    };
    const sent = args.map((a) => {
      if (TRANSFER.has(a)) for (const b of TRANSFER.get(a)) if (!transferList.includes(b)) transferList.push(b);
      if (a?.[ID]) return ref(a);
      if (isPlain(a)) {
        const o = {};
        for (const [k, v] of Object.entries(a)) o[k] = v?.[ID] ? ref(v) : v;
        return o;
      }
      return a;
    });
    return { args: sent, transferList, signal, onProgress, refersToHandle: gen !== null };
  }

  function call(message, rawArgs) {
    let p;
    try {
      p = prepare(rawArgs);
    } catch (e) {
      return Promise.reject(e);
    }
    return send({ ...message, args: p.args, refersToHandle: p.refersToHandle }, p.transferList, p.signal, p.onProgress);
  }

  // A remote handle: methods → async calls; getters → promises; free() → frees it there.
  function remote(desc, gen) {
    const h = { id: desc[HANDLE], cls: desc.cls, gen, freed: false };
    const o = { [ID]: h };
    const check = () => {
      if (h.freed) return Promise.reject(engineError("invalid_argument", `this ${h.cls} was freed`));
      if (worker === null || worker.generation !== gen) {
        return Promise.reject(engineError("engine_restarted", `crmscore engine: this ${h.cls} belongs to a worker that was ended`));
      }
      return null;
    };
    for (const [k, kind] of desc.members) {
      if (k === "free") continue;
      if (kind === "getter") {
        Object.defineProperty(o, k, { enumerable: true, get: () => check() ?? send({ op: "get", handle: h.id, member: k }, [], undefined, undefined) });
      } else {
        o[k] = (...args) => check() ?? call({ op: "method", handle: h.id, member: k }, args);
      }
    }
    o.free = () => {
      if (h.freed || worker === null || worker.generation !== gen) {
        h.freed = true;
        return Promise.resolve();
      }
      h.freed = true;
      registry?.unregister(o);
      return send({ op: "free", handle: h.id }, [], undefined, undefined);
    };
    o.toString = () => `[remote ${h.cls}]`;
    registry?.register(o, { id: h.id, gen }, o);
    return o;
  }

  function wrapValue(v, gen) {
    if (v === null || typeof v !== "object" || ArrayBuffer.isView(v)) return v;
    if (typeof v[HANDLE] === "number") return remote(v, gen);
    if (Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return v;
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x !== null && typeof x === "object" && !ArrayBuffer.isView(x) && !Array.isArray(x)) v[k] = wrapValue(x, gen);
    }
    return v;
  }

  const first = start();
  const exportsList = await first.ready;
  const engine = {
    /** End the worker; pending calls reject; the next call starts a fresh worker. */
    terminate() {
      const w = worker;
      worker = null;
      if (w === null) return;
      w.port.terminate();
      const err = engineError("engine_restarted", "crmscore engine: terminated");
      for (const [id, p] of pending) {
        if (p.generation === w.generation) {
          pending.delete(id);
          p.reject(err);
        }
      }
    },
  };
  for (const e of exportsList) {
    if (e.kind === "function") {
      engine[e.name] = (...args) => call({ op: "call", name: e.name }, args);
    } else {
      const ctor = (...args) => call({ op: "new", name: e.name }, args);
      for (const s of e.statics) ctor[s] = (...args) => call({ op: "static", name: e.name, member: s }, args);
      engine[e.name] = ctor;
    }
  }
  return engine;
}
