// A virtualised customer table: only the rows in view exist in the DOM (a pool of ~30 row
// elements, re-filled on scroll), so 1M customers scroll like 100. Cells are written with
// textContent only. Sorting and filtering happen outside: the table shows `order`, an index
// array into the customers.
import { h } from "./dom.js";

const ROW_H = 30;
const MAX_SPACER = 15_000_000; // px; beyond this, scrolling maps proportionally onto rows

/**
 * columns: [{ key, label: () => string, cls?, cell: (i) => string, sortable? }]
 * onOpen(i): a row was clicked or Enter pressed; onSort(key): a sortable header was clicked.
 */
export function createTable(root, { columns, onOpen, onSort }) {
  const head = h("div", { class: "vt-head", role: "row" });
  const viewport = h("div", { class: "vt-viewport", tabindex: "-1" });
  const spacer = h("div", { class: "vt-spacer" });
  const body = h("div", { class: "vt-body", role: "rowgroup" });
  viewport.append(spacer, body);
  root.replaceChildren(h("div", { class: "vt", role: "table" }, head, viewport));
  root.style.setProperty("--vt-cols", columns.map((c) => c.width ?? "1fr").join(" "));

  let order = new Uint32Array(0);
  // Scroll position and height, cached: reading them from the DOM during an update would
  // force a layout in the middle of the slider's frame.
  let scrollTop = 0;
  let viewH = 450;
  let spacerH = -1;
  let bodyTop = -1;
  let sort = { key: null, dir: 1 };
  let selected = -1;
  const pool = [];

  function renderHead() {
    head.replaceChildren(
      ...columns.map((c) => {
        const active = sort.key === c.key;
        const label = c.label() + (active ? (sort.dir > 0 ? " ▲" : " ▼") : "");
        return c.sortable === false
          ? h("div", { class: `vt-th ${c.cls ?? ""}`, role: "columnheader", text: label })
          : h("div", { class: `vt-th ${c.cls ?? ""}`, role: "columnheader", "aria-sort": active ? (sort.dir > 0 ? "ascending" : "descending") : "none" },
              h("button", { type: "button", class: "vt-sort", data: { key: c.key }, text: label }));
      }),
    );
  }

  function firstVisible() {
    const n = order.length;
    const full = n * ROW_H;
    if (full <= MAX_SPACER) return Math.floor(scrollTop / ROW_H);
    const frac = scrollTop / Math.max(1, MAX_SPACER - viewH);
    return Math.floor(frac * Math.max(0, n - Math.floor(viewH / ROW_H)));
  }

  /** Re-fills the rows in view; `only` (column indices) limits the work to columns that changed. */
  function render(only = null) {
    const n = order.length;
    const sh = Math.min(n * ROW_H, MAX_SPACER);
    if (sh !== spacerH) spacer.style.height = `${(spacerH = sh)}px`;
    const visible = Math.ceil(viewH / ROW_H) + 2;
    while (pool.length < visible) {
      const row = h("div", { class: "vt-row", role: "row", tabindex: "0" }, ...columns.map((c) => h("div", { class: `vt-td ${c.cls ?? ""}`, role: "cell" })));
      pool.push(row);
      body.append(row);
    }
    const first = Math.min(firstVisible(), Math.max(0, n - 1));
    const full = n * ROW_H <= MAX_SPACER;
    const top = full ? first * ROW_H : scrollTop - (scrollTop % ROW_H);
    if (top !== bodyTop) body.style.transform = `translateY(${(bodyTop = top)}px)`;
    for (let k = 0; k < pool.length; k++) {
      const row = pool[k];
      const at = first + k;
      if (at >= n || k >= visible) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      const i = order[at];
      if (only && row.dataset.index === String(i)) {
        for (const c of only) {
          const text = columns[c].cell(i);
          if (row.children[c].textContent !== text) row.children[c].textContent = text;
        }
        continue;
      }
      row.dataset.index = String(i);
      row.classList.toggle("selected", i === selected);
      const cells = row.children;
      for (let c = 0; c < columns.length; c++) {
        const text = columns[c].cell(i);
        if (cells[c].textContent !== text) cells[c].textContent = text;
      }
    }
  }

  viewport.addEventListener("scroll", () => {
    scrollTop = viewport.scrollTop;
    render();
  }, { passive: true });
  new ResizeObserver(() => {
    viewH = viewport.clientHeight || 450;
    render();
  }).observe(viewport);
  body.addEventListener("click", (e) => {
    const row = e.target.closest(".vt-row");
    if (row) onOpen(Number(row.dataset.index));
  });
  body.addEventListener("keydown", (e) => {
    const row = e.target.closest(".vt-row");
    if (row && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      onOpen(Number(row.dataset.index));
    }
  });
  head.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-key]");
    if (b) onSort(b.dataset.key);
  });

  renderHead();
  return {
    setOrder(o) {
      order = o;
      render();
    },
    setSort(s) {
      sort = s;
      renderHead();
    },
    select(i) {
      selected = i;
      render();
    },
    scrollToTop() {
      viewport.scrollTop = scrollTop = 0;
      render();
    },
    refresh: () => render(),
    /** Only these columns changed (e.g. score and tier after a weight change). */
    refreshColumns(keys) {
      render(keys.map((k) => columns.findIndex((c) => c.key === k)).filter((c) => c >= 0));
    },
    relabel: renderHead,
    get length() {
      return order.length;
    },
  };
}
