// Where the .wasm's bytes go: function body sizes of the release build (before wasm-bindgen
// and wasm-opt, which keep the proportions), grouped by Rust module path, largest first.
//   node scripts/wasm-size.mjs [path.wasm] [--top N] [--functions]
import { readFileSync } from "node:fs";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (n) => args.includes(n);
const topArg = args.indexOf("--top");
const top = topArg >= 0 ? Number(args[topArg + 1]) : 25;
const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--top") ??
  resolve(root, "target/wasm32-unknown-unknown/release/crmscore.wasm");

const buf = readFileSync(file);
let p = 8;
const leb = () => { let r = 0, s = 0, b; do { b = buf[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
const str = () => { const n = leb(); const s = buf.toString("utf8", p, p + n); p += n; return s; };
let imported = 0;
const bodies = [];
const names = new Map();
while (p < buf.length) {
  const id = buf[p++]; const size = leb(); const end = p + size;
  if (id === 2) { // imports: count function imports (they take the first indices)
    for (let n = leb(), i = 0; i < n; i++) {
      str(); str(); const kind = buf[p++];
      if (kind === 0) { leb(); imported++; } else if (kind === 1) { p++; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 3) { p += 2; } else { p++; leb(); }
    }
  } else if (id === 10) {
    for (let n = leb(), i = 0; i < n; i++) { const sz = leb(); bodies.push(sz); p += sz; }
  } else if (id === 0 && str() === "name") {
    while (p < end) {
      const sub = buf[p++]; const len = leb(); const subEnd = p + len;
      if (sub === 1) for (let n = leb(), i = 0; i < n; i++) { const idx = leb(); names.set(idx, str()); }
      p = subEnd;
    }
  }
  p = end;
}
/** Rust v0 symbols (`_R…`): the identifiers of the path, in order (enough to group by module). */
const demangleV0 = (s) => {
  const parts = [];
  for (let i = 2; i < s.length;) {
    if (/[0-9]/.test(s[i]) && !/[0-9]/.test(s[i - 1] ?? "")) {
      let j = i, n = 0;
      while (/[0-9]/.test(s[j])) n = n * 10 + Number(s[j++]);
      if (s[j] === "_") j++;
      const id = s.slice(j, j + n);
      if (n > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(id)) { parts.push(id); i = j + n; continue; }
    }
    i++;
  }
  return parts.join("::");
};
const demangle = (s) => {
  if (s.startsWith("_R")) return demangleV0(s);
  if (!s.startsWith("_ZN")) return s;
  let i = 3; const parts = [];
  while (i < s.length && s[i] !== "E") { let n = 0; while (/[0-9]/.test(s[i])) n = n * 10 + Number(s[i++]); parts.push(s.slice(i, i + n)); i += n; }
  return parts.filter((x) => !/^h[0-9a-f]{16}$/.test(x)).join("::").replace(/\$LT\$/g, "<").replace(/\$GT\$/g, ">").replace(/\$u20\$/g, " ").replace(/\.\./g, "::");
};
const total = bodies.reduce((a, b) => a + b, 0);
const fns = bodies.map((size, i) => ({ name: demangle(names.get(i + imported) ?? `func${i + imported}`), size }));
const group = (n) => {
  const m = n.match(/^<?(?:impl )?([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)?)/);
  return m ? m[1] : n.startsWith("__wbg") || n.startsWith("__wbindgen") ? "wasm-bindgen glue" : "other";
};
const by = new Map();
for (const f of fns) by.set(group(f.name), (by.get(group(f.name)) ?? 0) + f.size);
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KiB";
console.log(`${file}: ${fns.length} functions, code ${kb(total)} of ${kb(buf.length)} (names, data and custom sections are the rest)`);
console.log("\nby module:");
for (const [g, s] of [...by].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${kb(s)}  ${(100 * s / total).toFixed(1).padStart(5)} %  ${g}`);
if (flag("--functions")) {
  console.log("\nlargest functions:");
  for (const f of fns.sort((a, b) => b.size - a.size).slice(0, top)) console.log(`${kb(f.size)}  ${f.name.slice(0, 110)}`);
}
