// The argument guard: the one layer between the page and wasm-bindgen's generated glue.
// scripts/build.mjs copies this file into every pkg/ folder and makes the package entry
// export `guard(raw)` instead of the raw wasm-bindgen module, so every exported function,
// constructor, static, method and getter runs through here first.
//
// For each call it
//  1. checks the JS type of every argument against SIGNATURES (a wrong type is a
//     CrmScoreError with code "invalid_argument", the parameter's name in `field` and a
//     sentence), and that a handle (`this`, or a model passed in) is live;
//  2. copies every object argument into plain data ("snapshot"): plain objects with data
//     properties, dense arrays, Dates, typed arrays (not copied, but checked: not detached),
//     the package's own handles (as they are). Getters (own or on a class prototype) and
//     Proxies are read here, once, inside a try/catch. Whatever they throw becomes a
//     CrmScoreError invalid_argument naming the parameter (the original exception is its
//     `cause`). So no user code runs while wasm is on the stack: a JS exception can never
//     unwind through Rust frames (which would leave a RefCell borrow of a handle held for
//     ever, and the shadow-stack pointer and allocations not restored);
//     One exception, for speed: the row arrays of rfm, summarize and rfmFromCustomers
//     (kind `rows`) and the tables of deriveFields' and classify's data (kind `activity`)
//     are copied only one level deep; glue.js / activity_glue.js read each row once inside a
//     try/catch and hand Rust a plain copy of the one bad value (see glue.js, UNREADABLE);
//  3. bounds what would make Rust run out of memory (a trap): strings longer than
//     MAX_STRING, nesting deeper than MAX_DEPTH, more than MAX_ELEMENTS array elements or
//     MAX_TYPED_BYTES bytes of typed arrays in one call (typed arrays count by their bytes:
//     a million customers' ten million orders are ≈ 70M column entries but only ≈ 350 MB).
// Rust still checks every value (ranges, NaN, dates, lengths) and writes the precise errors.
//
// Only `export function` declarations here: build.mjs rewrites them to CommonJS for pkg/node.

const MAX_DEPTH = 64;
const MAX_STRING = 1 << 24;
const MAX_ELEMENTS = 1 << 26;
const MAX_TYPED_BYTES = 1 << 30;

// A class's name as the package exports it. Minifiers rename classes (Vite's production build
// turns Scorer into e.g. "ui"), so `cls.name` cannot key SIGNATURES: guard() records the
// export name of each class it wraps.
const CLASS_NAMES = new WeakMap();
function clsName(cls) {
  return CLASS_NAMES.get(cls) ?? cls.name;
}

/** Limits of the guard, for tests and documentation. */
export function guardLimits() {
  return { maxDepth: MAX_DEPTH, maxString: MAX_STRING, maxElements: MAX_ELEMENTS, maxTypedBytes: MAX_TYPED_BYTES };
}

function crmError(field, message, cause) {
  const e = cause === undefined ? new Error(message) : new Error(message, { cause });
  e.name = "CrmScoreError";
  e.code = "invalid_argument";
  e.field = field;
  return e;
}

/** An error raised inside a snapshot: the path within the argument and what is wrong. */
class Bad {
  constructor(path, what, cause) {
    this.path = path;
    this.what = what;
    this.cause = cause;
  }
}

function describe(v) {
  if (v === null) return "null";
  const t = typeof v;
  if (t === "string") return v.length > 30 ? `a string of ${v.length} characters` : `the string ${JSON.stringify(v)}`;
  if (t === "number") return `the number ${Object.is(v, -0) ? "-0" : String(v)}`;
  if (t === "bigint") return "a BigInt";
  if (t === "symbol") return "a Symbol";
  if (t === "undefined") return "undefined";
  if (t === "boolean") return `${v}`;
  if (t === "function") return "a function";
  try {
    if (Array.isArray(v)) return "an array";
    if (ArrayBuffer.isView(v)) return `a ${Object.prototype.toString.call(v).slice(8, -1)}`;
  } catch {
    // a revoked Proxy
  }
  return "an object";
}

const TYPED_NAMES = new Set([
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
  "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "DataView",
]);

/** The typed array's own kind ("Float64Array"), from its internal slot, not its prototype. */
function typedName(v) {
  // %TypedArray%.prototype[@@toStringTag] reads the internal [[TypedArrayName]].
  const get = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), Symbol.toStringTag).get;
  const n = get.call(v);
  return n === undefined ? "DataView" : n;
}

/** A typed array that is safe to hand to wasm-bindgen: not detached, counted in the budget. */
function typed(v, path, st) {
  const name = typedName(v);
  let len;
  if (name === "DataView") {
    len = v.byteLength;
  } else {
    len = v.length;
    if (len === 0) {
      // A detached buffer reads as length 0, and copying from it throws: hand over a fresh empty one.
      let detached = false;
      try {
        new Uint8Array(v.buffer);
      } catch {
        detached = true;
      }
      if (detached) throw new Bad(path, "is a typed array whose buffer is detached");
      return new globalThis[name](0);
    }
  }
  st.bytes -= v.byteLength;
  if (st.bytes < 0) throw new Bad(path, `is too large (more than ${MAX_TYPED_BYTES} bytes of typed arrays in one call)`);
  return v;
}

function notAValue() {}

/** Whether `x` needs `plain` (objects, functions, over-long strings); other primitives are data. */
function needs(x) {
  const t = typeof x;
  return t === "object" ? x !== null : t === "function" || (t === "string" && x.length > MAX_STRING);
}

/** `v` as plain data (see the header). Throws Bad, or whatever a getter / Proxy throws. */
function plain(v, path, depth, st) {
  const t = typeof v;
  if (t !== "object") {
    if (t === "string") {
      if (v.length > MAX_STRING) throw new Bad(path, `is a string of ${v.length} characters (the limit is ${MAX_STRING})`);
    } else if (t === "function") {
      // Functions are no data; keep the type (for messages) but none of the function.
      return notAValue;
    }
    return v;
  }
  if (v === null) return v;
  if (depth >= MAX_DEPTH) throw new Bad(path, `is nested more than ${MAX_DEPTH} levels deep (or cyclic)`);
  if (ArrayBuffer.isView(v)) return typed(v, path, st);
  if (Array.isArray(v)) {
    const n = v.length;
    st.budget -= n;
    if (st.budget < 0) throw new Bad(path, `is too large (more than ${MAX_ELEMENTS} elements in one call)`);
    // One builtin copy (each index read once, getters and Proxy traps included), then only
    // the elements that are not plain data are replaced by their copies.
    const out = Array.prototype.slice.call(v);
    if (out.length !== n) throw new Bad(path, "changed its length while it was read");
    if (depth === st.rowsDepth) return out; // rows that the glue reads itself (kind `activity`): the outer array only
    for (let i = 0; i < n; i++) {
      const x = out[i];
      if (needs(x)) out[i] = plain(x, path, depth + 1, st);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    if (v instanceof Date) {
      return new Date(Date.prototype.getTime.call(v));
    }
    const cls = st.handles.classOf(v);
    if (cls !== null) {
      const ptr = ptrOf(v, cls);
      if (ptr < 0) throw new Bad(path, `could not be read (a ${clsName(cls)} that is a Proxy?)`);
      return standIn(cls, ptr); // a freed one (0) is reported by Rust when it calls it
    }
    if (v instanceof ArrayBuffer || v instanceof Map || v instanceof Set || v instanceof Promise || v instanceof WeakMap) {
      return {}; // no data properties: Rust reports the missing fields
    }
  }
  const out = {};
  for (const k in v) {
    const x = v[k];
    out[k] = needs(x) ? plain(x, path, depth + 1, st) : x;
  }
  if (proto !== Object.prototype && proto !== null) {
    // A class instance: its accessors on the prototype chain (not enumerable) are data too.
    for (let p = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const k of Object.getOwnPropertyNames(p)) {
        if (k in out) continue;
        const d = Object.getOwnPropertyDescriptor(p, k);
        if (d && d.get) {
          const x = v[k];
          out[k] = needs(x) ? plain(x, path, depth + 1, st) : x;
        }
      }
    }
  }
  return out;
}

/** Snapshot argument `name`; a throw (ours or the page's) becomes a CrmScoreError naming it. */
function snapshot(v, name, st) {
  try {
    return plain(v, name, 0, st);
  } catch (e) {
    if (e instanceof Bad) throw crmError(name, `${name}: ${e.path === name ? "the value" : e.path} ${e.what}`);
    throw crmError(name, `${name} could not be read: reading it threw (${message(e)})`, e);
  }
}

/** A short description of a thrown value, which may itself be hostile. */
function message(e) {
  let m;
  try {
    m = e instanceof Error ? String(e.message) : typeof e === "string" ? e : "a non-Error value";
  } catch {
    m = "an unreadable exception";
  }
  return m.length > 200 ? m.slice(0, 200) + "…" : m;
}

// ---------------------------------------------------------------------------------------
// Parameter kinds. Each checks the JS type, and returns the value to pass on.

function isObj(v) {
  return v !== null && typeof v === "object";
}

function expect(name, v, what) {
  return crmError(name, `${name} must be ${what}, got ${describe(v)}`);
}

function optional(kind) {
  return (name, v, st) => (v === undefined || v === null ? undefined : kind(name, v, st));
}

// A required object or array that is absent (undefined / null) goes on to Rust, which
// reports it with its own code (e.g. invalid_value "data must be an object, got null");
// any other wrong type stops here.
const object = (name, v, st) => {
  if (v === undefined || v === null) return v;
  if (!isObj(v)) throw expect(name, v, "an object");
  return snapshot(v, name, st);
};
/** Array.isArray, false for a revoked Proxy (which throws there). */
function isArray(v) {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}
const array = (name, v, st) => {
  if (v === undefined || v === null) return v;
  if (!isObj(v) || !isArray(v)) throw expect(name, v, "an array");
  return snapshot(v, name, st);
};
const string = (name, v, st) => {
  if (typeof v !== "string") throw expect(name, v, "a string");
  return snapshot(v, name, st);
};
const number = (name, v) => {
  if (typeof v !== "number") throw expect(name, v, "a number");
  return v;
};
const count = (name, v) => {
  if (typeof v !== "number") throw expect(name, v, "a number");
  if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) {
    throw crmError(name, `${name} must be an integer from 0 to 4294967295, got ${describe(v)}`);
  }
  return v;
};
const anyValue = (name, v, st) => {
  if (typeof v === "bigint" || typeof v === "symbol") throw expect(name, v, "a JSON value");
  return snapshot(v, name, st);
};
// Rows that glue.js reads itself (extractOrders, extractCustomers): the guard copies only the
// outer array (copying a million row objects would cost more than the whole computation);
// the glue reads each row once inside a try/catch, replaces a row that throws (or holds an
// over-long string) by null in this copy and leaves the reason in UNREADABLE; `wrap` turns
// Rust's error for that row into a CrmScoreError invalid_argument with the row.
const UNREADABLE = Symbol.for("crmscore.guard.unreadable");
const rows = (name, v, st) => {
  if (v === undefined || v === null) return v;
  if (!isObj(v) || !isArray(v)) throw expect(name, v, "an array");
  let copy;
  try {
    const n = v.length;
    st.budget -= n;
    if (st.budget < 0) throw new Bad(name, `is too large (more than ${MAX_ELEMENTS} elements in one call)`);
    copy = new Array(n);
    for (let i = 0; i < n; i++) copy[i] = v[i];
  } catch (e) {
    if (e instanceof Bad) throw crmError(name, `${name}: the value ${e.what}`);
    throw crmError(name, `${name} could not be read: reading it threw (${message(e)})`, e);
  }
  st.rows = name;
  return copy;
};
// The `data` of deriveFields and classify: activity_glue.js reads its tables' rows itself, as
// glue.js does for `rows` (each row once, inside a try/catch, nulling an unreadable one in
// this copy and leaving the reason in UNREADABLE with its table). The guard copies the data
// object and the tables' outer arrays (a row is an element of an array one level down).
const activity = (name, v, st) => {
  if (v === undefined || v === null) return v;
  if (!isObj(v)) throw expect(name, v, "an object");
  st.rowsDepth = isArray(v) ? -1 : 1;
  try {
    return snapshot(v, name, st);
  } finally {
    if (st.rowsDepth === 1) st.rows = name;
    st.rowsDepth = -1;
  }
};
const modelOrPreset = (name, v, st) => {
  if (typeof v !== "string" && !isObj(v)) throw expect(name, v, "a model object or a preset name");
  return snapshot(v, name, st);
};
const numbers = (name, v, st) => {
  if (typeof v === "number") return v;
  if (!isObj(v)) throw expect(name, v, "a number, a Float64Array or an array of numbers");
  return snapshot(v, name, st);
};

function typedArray(...names) {
  const what = names.length === 1 ? `a ${names[0]}` : `a ${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
  return (name, v, st) => {
    let ok = false;
    try {
      ok = isObj(v) && ArrayBuffer.isView(v) && names.includes(typedName(v));
    } catch {
      ok = false;
    }
    if (!ok) throw expect(name, v, what);
    return snapshot(v, name, st);
  };
}

function handle(className) {
  return (name, v, st) => {
    const cls = st.handles.classes[className];
    const ptr = ptrOf(v, cls);
    if (ptr < 0) throw expect(name, v, `a ${className} (from crmscore)`);
    if (ptr === 0) throw crmError(name, `${name}: this ${className} was freed`);
    return standIn(cls, ptr);
  };
}

/**
 * The wasm pointer of handle `v` of class `cls`: -1 when `v` is no such handle (or reading
 * it threw: a Proxy), 0 when it was freed. Read once, so a Proxy cannot answer twice.
 */
function ptrOf(v, cls) {
  try {
    if (!isObj(v) || !(v instanceof cls)) return -1;
    const p = v.__wbg_ptr;
    return typeof p === "number" && p >= 0 && Number.isInteger(p) ? p : -1;
  } catch {
    return -1;
  }
}

/**
 * A stand-in for a live handle: a plain instance holding the pointer read once. The raw glue
 * only reads `this.__wbg_ptr` (and `instanceof`), so it never sees a Proxy or a getter. Not
 * registered for finalization (only the original frees the Rust value).
 */
function standIn(cls, ptr) {
  const o = Object.create(cls.prototype);
  o.__wbg_ptr = ptr;
  return o;
}

/** The signature of every export: [parameter name, kind] in order. */
export const SIGNATURES = {
  classify: [["data", activity], ["options", optional(object)]],
  classifyColumnar: [["data", object], ["options", optional(object)]],
  codeTables: [],
  packText: [["values", object]],
  clv: [["model", handle("TransactionModel")], ["spend", handle("GammaGammaModel")], ["summaries", object], ["options", object]],
  compareTiers: [["before", array], ["after", array], ["options", optional(object)]],
  crossTab: [["result", object], ["customers", object], ["attribute", string], ["options", optional(object)]],
  deriveFields: [["data", activity], ["options", optional(object)]],
  deriveFieldsColumnar: [["data", object], ["options", optional(object)]],
  fitBgNbd: [["summaries", object], ["options", optional(object)]],
  fitGammaGamma: [["summaries", object], ["options", optional(object)]],
  fitModifiedBgNbd: [["summaries", object], ["options", optional(object)]],
  fitParetoNbd: [["summaries", object], ["options", optional(object)]],
  generateCrm: [["options", optional(object)]],
  memoryBytes: [],
  rfm: [["orders", rows], ["options", optional(object)]],
  rfmColumnar: [
    ["customerIndex", typedArray("Uint32Array")],
    ["dates", typedArray("Int32Array", "Float64Array")],
    ["amounts", typedArray("Float64Array")],
    ["options", optional(object)],
  ],
  rfmFromCustomers: [["customers", rows], ["options", optional(object)]],
  sampleOrders: [["options", optional(object)]],
  sampleOrdersColumnar: [["options", optional(object)]],
  score: [["customers", object], ["model", modelOrPreset], ["options", optional(object)]],
  scoringPreset: [["name", string]],
  start: [],
  summarize: [["orders", rows], ["options", object]],
  summarizeColumnar: [
    ["customerIndex", typedArray("Uint32Array")],
    ["dates", typedArray("Int32Array", "Float64Array")],
    ["amounts", typedArray("Float64Array")],
    ["options", object],
  ],
  tierEconomics: [["result", object], ["revenueField", string], ["options", object]],
  validateModel: [["model", modelOrPreset]],
  version: [],

  "new Scorer": [["customers", object], ["model", modelOrPreset], ["options", optional(object)]],
  "Scorer#setModel": [["model", modelOrPreset]],
  "Scorer#setWeights": [["weights", typedArray("Float64Array")]],
  "Scorer#explain": [["index", number]],
  "Scorer#customerIds": [],
  "Scorer#model": [],
  "Scorer#result": [],
  "Scorer#scores": [],
  "Scorer#tierCounts": [],
  "Scorer#tierLabels": [],
  "Scorer#tiers": [],
  "Scorer#tiersInto": [["out", typedArray("Uint8Array")]],
  "Scorer#scoresInto": [["out", typedArray("Float64Array")]],
  "Scorer#weights": [],

  "new Classifier": [["data", object], ["options", optional(object)]],
  "Classifier#result": [],
  "Classifier#explain": [["index", number]],
  "Classifier#memoryBytes": [],

  "TransactionModel.fromJSON": [["json", anyValue]],
  "TransactionModel#pAlive": [["frequency", numbers], ["recency", numbers], ["T", numbers]],
  "TransactionModel#expectedPurchases": [["t", number], ["frequency", numbers], ["recency", numbers], ["T", numbers]],
  "TransactionModel#expectedPurchasesNew": [["t", number]],
  "TransactionModel#probabilityOfPurchases": [["n", count], ["t", number]],
  "TransactionModel#toJSON": [],

  "GammaGammaModel.fromJSON": [["json", anyValue]],
  "GammaGammaModel#expectedSpend": [["frequency", numbers], ["monetaryValue", numbers]],
  "GammaGammaModel#toJSON": [],
};

/** Check and snapshot `args` for the export `key`; returns the arguments to pass on. */
function checkArgs(key, args, handles, st = { budget: MAX_ELEMENTS, bytes: MAX_TYPED_BYTES, handles, rows: null }) {
  const sig = SIGNATURES[key];
  const out = new Array(sig.length);
  for (let i = 0; i < sig.length; i++) out[i] = sig[i][1](sig[i][0], args[i], st);
  return out;
}

const OWN = new Set(["constructor", "__destroy_into_raw", "__wrap"]);

/** The members of a wasm-bindgen class: [key, kind, name] for methods, getters and statics. */
export function classMembers(cls) {
  const out = [];
  for (const k of Object.getOwnPropertyNames(cls.prototype)) {
    if (OWN.has(k)) continue;
    const d = Object.getOwnPropertyDescriptor(cls.prototype, k);
    out.push([`${clsName(cls)}#${k}`, d.get ? "getter" : "method", k]);
  }
  for (const k of Object.getOwnPropertyNames(cls)) {
    if (OWN.has(k) || ["length", "name", "prototype"].includes(k)) continue;
    out.push([`${clsName(cls)}.${k}`, "static", k]);
  }
  return out;
}

/** The keys of SIGNATURES that the raw module needs (getters and free() need none); for build.mjs. */
export function requiredSignatures(raw) {
  const keys = [];
  for (const [name, v] of Object.entries(raw)) {
    if (typeof v !== "function" || name.startsWith("__") || name === "default" || name === "initSync") continue;
    if (/^[A-Z]/.test(name) && v.prototype) {
      if (Object.getOwnPropertyNames(v.prototype).length > 0 && !v.__wrap) keys.push(`new ${name}`);
      for (const [key, kind, k] of classMembers(v)) if (kind !== "getter" && k !== "free") keys.push(key);
    } else keys.push(name);
  }
  return keys;
}

/**
 * The guarded module: every function and class of `raw` wrapped (classes are patched in
 * place, so instances that the raw glue creates are guarded too). Call once per raw module.
 */
export function guard(raw) {
  const classes = {};
  for (const [name, v] of Object.entries(raw)) {
    if (typeof v === "function" && /^[A-Z]/.test(name) && v.prototype && !name.startsWith("__")) {
      classes[name] = v;
      CLASS_NAMES.set(v, name);
    }
  }
  const handles = {
    classes,
    classOf(v) {
      for (const c of Object.values(classes)) if (v instanceof c) return c;
      return null;
    },
  };
  const out = {};
  for (const [name, v] of Object.entries(raw)) {
    if (typeof v !== "function" || name.startsWith("__") || name === "default" || name === "initSync") {
      out[name] = v;
    } else if (classes[name]) {
      out[name] = guardClass(v, handles);
    } else if (SIGNATURES[name]) {
      out[name] = wrap(v, name, handles);
    } else {
      out[name] = v; // build.mjs refuses to build a package with an export missing from SIGNATURES
    }
  }
  return out;
}

function wrap(fn, key, handles) {
  const f = function (...args) {
    const st = { budget: MAX_ELEMENTS, bytes: MAX_TYPED_BYTES, handles, rows: null };
    const checked = checkArgs(key, args, handles, st);
    if (st.rows === null) return fn.apply(undefined, checked);
    globalThis[UNREADABLE] = undefined;
    try {
      return fn.apply(undefined, checked);
    } catch (e) {
      const u = globalThis[UNREADABLE];
      // Rust reports the nulled row (or an earlier one, which comes first): replace the former.
      if (u !== undefined && e instanceof Error && e.name === "CrmScoreError" && e.row === u.row &&
          (u.table === undefined || e.table === u.table)) {
        const where = u.table === undefined ? st.rows : `${st.rows}.${u.table}`;
        const err = crmError(st.rows, `${where}[${u.row}] ${u.what}${u.cause === undefined ? "" : `: reading it threw (${message(u.cause)})`}`, u.cause);
        err.row = u.row;
        throw err;
      }
      throw e;
    } finally {
      globalThis[UNREADABLE] = undefined;
    }
  };
  Object.defineProperty(f, "name", { value: fn.name });
  Object.defineProperty(f, "length", { value: fn.length });
  return f;
}

/** `self` as a stand-in (see standIn), or a CrmScoreError when it is no live handle. */
function liveThis(self, cls, what) {
  const ptr = ptrOf(self, cls);
  if (ptr < 0) throw crmError("this", `${what} must be called on a ${clsName(cls)}`);
  if (ptr === 0) throw crmError("this", `${what}: this ${clsName(cls)} was freed`);
  return standIn(cls, ptr);
}

function guardClass(cls, handles) {
  const proto = cls.prototype;
  // The handles the glue made (constructor, __wrap): only these may be freed. free() through
  // a Proxy would free the Rust value but leave the original registered for finalization,
  // which then frees it again (a double free: a trap later, in a FinalizationRegistry job).
  const genuine = new WeakSet();
  if (typeof cls.__wrap === "function") {
    const wrapRaw = cls.__wrap;
    cls.__wrap = function (ptr) {
      const o = wrapRaw.call(this, ptr);
      genuine.add(o);
      return o;
    };
  }
  for (const [key, kind, k] of classMembers(cls)) {
    if (kind === "static") {
      const fn = cls[k];
      if (!SIGNATURES[key]) continue;
      cls[k] = wrap(fn, key, handles);
    } else if (kind === "getter") {
      const d = Object.getOwnPropertyDescriptor(proto, k);
      const get = d.get;
      Object.defineProperty(proto, k, {
        ...d,
        get() {
          return get.call(liveThis(this, cls, `${clsName(cls)}.${k}`));
        },
      });
    } else if (k === "free") {
      const free = proto.free;
      const guarded = function () {
        const ptr = ptrOf(this, cls);
        if (ptr < 0) throw crmError("this", `${clsName(cls)}.free must be called on a ${clsName(cls)}`);
        if (ptr === 0) return; // freeing twice is a no-op
        if (!genuine.has(this)) throw crmError("this", `${clsName(cls)}.free must be called on the ${clsName(cls)} itself (not a Proxy or a copy)`);
        // The original, not a stand-in: it is the one registered for finalization. Whatever
        // a Proxy throws here is thrown before the call into wasm (the glue's last step).
        try {
          free.call(this);
        } catch (e) {
          // wasm-bindgen's own complaints ("…Rust value…", "null pointer…") stay visible.
          if (e instanceof WebAssembly.RuntimeError || /Rust value|null pointer/.test(String(e && e.message))) throw e;
          throw crmError("this", `${clsName(cls)}.free: this could not be read`, e);
        }
      };
      proto.free = guarded;
      if (typeof Symbol.dispose === "symbol" && Object.prototype.hasOwnProperty.call(proto, Symbol.dispose)) proto[Symbol.dispose] = guarded;
    } else if (SIGNATURES[key]) {
      const fn = proto[k];
      const f = function (...args) {
        const self = liveThis(this, cls, `${clsName(cls)}.${k}`);
        return fn.apply(self, checkArgs(key, args, handles));
      };
      Object.defineProperty(f, "name", { value: k });
      proto[k] = f;
    }
  }
  if (!SIGNATURES[`new ${clsName(cls)}`]) return cls;
  const key = `new ${clsName(cls)}`;
  return new Proxy(cls, {
    construct(target, args, newTarget) {
      const o = Reflect.construct(target, checkArgs(key, args, handles), newTarget === undefined ? target : newTarget);
      genuine.add(o);
      return o;
    },
    apply() {
      throw crmError("this", `${clsName(cls)} must be called with new`);
    },
  });
}
