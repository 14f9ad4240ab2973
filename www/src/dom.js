// Tiny DOM helpers. Text always goes in through textContent: nothing here parses HTML,
// so customer ids, segment names and error messages can never inject markup.

/**
 * h("td", { class: "num", text: "12", title: "…", data: { field: "customers" } }, ...children)
 * `text` → textContent; `data` → dataset; `style` → CSS custom properties / properties via
 * style.setProperty; other keys → attributes.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") el.textContent = String(v);
    else if (k === "class") el.className = v;
    else if (k === "data") Object.assign(el.dataset, v);
    else if (k === "style") for (const [p, pv] of Object.entries(v)) el.style.setProperty(p, String(pv));
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);

/** Replaces all children of `el` (a fragment is built first: one reflow). */
export function fill(el, children) {
  const frag = document.createDocumentFragment();
  for (const c of children) frag.append(c);
  el.replaceChildren(frag);
}

/** Resolves after the browser has had a chance to paint (so "working…" shows before a long task). */
export function nextPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Resolves in a new task (after the browser had a chance to handle input and paint). */
export function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A copy of typed array `a` made over several tasks, `chunk` elements each (copying megabytes
 * at once, with the page faults of the new buffer, blocked the page for tens of ms at 1M).
 */
export async function copyInTasks(a, chunk = 1 << 18) {
  const out = new a.constructor(a.length);
  for (let i = 0; i < a.length; i += chunk) {
    if (i > 0) await nextTask();
    out.set(a.subarray(i, i + chunk), i);
  }
  return out;
}
