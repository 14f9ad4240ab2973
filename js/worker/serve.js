// The worker side of crmscore/worker: runs the guarded crmscore module in a Worker (web) or
// a worker_threads Worker (Node) and answers the engine's messages (engine.js).
//
// Messages in:  { id, op: "call", name, args }            an exported function
//               { id, op: "new", name, args }             a class constructor
//               { id, op: "static", name, member, args }  a static method
//               { id, op: "method", handle, member, args } a method of a handle
//               { id, op: "get", handle, member }         a getter of a handle
//               { id, op: "free", handle }                free a handle
// Messages out: { ready: true, exports } once, then { id, ok: true, value } or
//               { id, ok: false, error: { name, message, code, table, row, field, path } }.
// Class instances (Scorer, fitted models) stay here, in a table of handles; the engine gets
// { [HANDLE]: id, cls } and the class's members, and sends the id back in arguments.

export const HANDLE = "__crmscoreHandle";

/** The members of a class prototype: [name, "method" | "getter"]. */
function membersOf(cls) {
  const out = [];
  for (const k of Object.getOwnPropertyNames(cls.prototype)) {
    if (k === "constructor" || k.startsWith("__")) continue;
    const d = Object.getOwnPropertyDescriptor(cls.prototype, k);
    out.push([k, d.get ? "getter" : "method"]);
  }
  return out;
}

function staticsOf(cls) {
  return Object.getOwnPropertyNames(cls).filter(
    (k) => !["length", "name", "prototype"].includes(k) && !k.startsWith("__") && typeof cls[k] === "function",
  );
}

/** A thrown value as a message (CrmScoreError fields kept). */
export function errorMessage(e) {
  if (e instanceof Error) {
    const out = { name: e.name, message: e.message };
    for (const k of ["code", "table", "row", "field", "path"]) if (e[k] !== undefined) out[k] = e[k];
    return out;
  }
  return { name: "Error", message: String(e) };
}

/**
 * Serve `lib` (the crmscore module) on `port` ({ post(message, transfer), listen(fn) }).
 * `memory`, when known, is the wasm memory: typed arrays that view it are copied, not moved.
 */
export function serve(lib, port, memory) {
  const classes = [];
  const exportsList = [];
  for (const [name, v] of Object.entries(lib)) {
    if (typeof v !== "function" || name === "default" || name === "initSync" || name.startsWith("__")) continue;
    if (/^[A-Z]/.test(name) && v.prototype && typeof v.prototype.free === "function") {
      classes.push([name, v]);
      exportsList.push({ name, kind: "class", statics: staticsOf(v), members: membersOf(v) });
    } else {
      exportsList.push({ name, kind: "function" });
    }
  }
  const handles = new Map();
  let next = 1;

  const classOf = (v) => {
    for (const [name, c] of classes) if (v instanceof c) return [name, c];
    return null;
  };

  // Results: handles for class instances; typed arrays' buffers moved (not copied) when the
  // array is the whole of a buffer of its own. Plain objects are looked into three levels deep
  // (columnar results); arrays of records are not walked (they hold no handles or buffers).
  function encode(v, transfer, depth) {
    if (v === null || typeof v !== "object") return v;
    if (ArrayBuffer.isView(v)) {
      const b = v.buffer;
      if (memory !== undefined && b === memory.buffer) return v.slice();
      if (b instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === b.byteLength && !transfer.includes(b)) transfer.push(b);
      return v;
    }
    const c = classOf(v);
    if (c !== null) {
      const id = next++;
      handles.set(id, v);
      return { [HANDLE]: id, cls: c[0], members: membersOf(c[1]) };
    }
    if (depth >= 3 || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return v;
    const out = {};
    for (const k of Object.keys(v)) out[k] = encode(v[k], transfer, depth + 1);
    return out;
  }

  // Arguments: handle references back to the objects (two levels into plain objects).
  function decode(v, depth) {
    if (v === null || typeof v !== "object" || ArrayBuffer.isView(v) || depth > 2) return v;
    if (typeof v[HANDLE] === "number") {
      const h = handles.get(v[HANDLE]);
      if (h === undefined) {
        const e = new Error(`this ${v.cls ?? "handle"} was freed or belongs to an ended worker`);
        e.name = "CrmScoreError";
        e.code = "invalid_argument";
        throw e;
      }
      return h;
    }
    if (Array.isArray(v)) return depth === 0 ? v.map((x) => decode(x, depth + 1)) : v;
    if (Object.getPrototypeOf(v) !== Object.prototype) return v;
    const out = {};
    for (const k of Object.keys(v)) out[k] = decode(v[k], depth + 1);
    return out;
  }

  function handle(id) {
    const h = handles.get(id);
    if (h === undefined) {
      const e = new Error("this handle was freed or belongs to an ended worker");
      e.name = "CrmScoreError";
      e.code = "invalid_argument";
      throw e;
    }
    return h;
  }

  function run(m) {
    const args = m.args === undefined ? [] : decode(m.args, 0);
    switch (m.op) {
      case "call":
        return lib[m.name](...args);
      case "new":
        return new lib[m.name](...args);
      case "static":
        return lib[m.name][m.member](...args);
      case "method":
        return handle(m.handle)[m.member](...args);
      case "get":
        return handle(m.handle)[m.member];
      case "free": {
        const h = handles.get(m.handle);
        handles.delete(m.handle);
        if (h !== undefined) h.free();
        return undefined;
      }
      default:
        throw new Error(`unknown operation ${m.op}`);
    }
  }

  // Progress of the running call (crate::progress, through the module's reportProgress):
  // posted at most every 50 ms, so the page hears at least every 100 ms of work.
  let current = 0;
  let last = 0;
  globalThis.__crmscoreProgress = (fraction) => {
    const now = performance.now();
    if (now - last < 50) return;
    last = now;
    port.post({ id: current, progress: fraction }, []);
  };

  port.listen((m) => {
    let reply;
    const transfer = [];
    current = m.id;
    last = performance.now();
    try {
      reply = { id: m.id, ok: true, value: encode(run(m), transfer, 0) };
    } catch (e) {
      reply = { id: m.id, ok: false, error: errorMessage(e) };
      transfer.length = 0;
    }
    port.post(reply, transfer);
  });
  port.post({ ready: true, exports: exportsList }, []);
}
