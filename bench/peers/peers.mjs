// The alternatives a front-end team would pick instead of crmscore, loaded the same way in
// both environments of the harness:
//   DuckDB-wasm (@duckdb/duckdb-wasm, the "eh" bundle in a Web Worker) — Chromium only;
//   Arquero — Node (from node_modules) and Chromium;
//   Apache Arrow (DuckDB's input format) — Chromium.
// In Chromium they come from bench/.peers/*.js, bundles that bench/peers/build.mjs makes with
// esbuild (the packages import one another by bare names, which a page cannot resolve).

const inBrowser = typeof window !== "undefined";

let arquero = null;
/** The arquero module ({ table, op, escape, … }). */
export async function loadArquero() {
  if (!arquero) arquero = inBrowser ? await import("/bench/.peers/arquero.js") : await import("arquero");
  return arquero;
}

let duck = null;
/**
 * One DuckDB-wasm database per page, single-threaded (eh bundle: the build a page without
 * cross-origin-isolation requirements uses), with one connection:
 * { db, conn, arrow, version, query(sql) → Arrow table, insertColumns(name, columns) }.
 */
export async function loadDuckDb() {
  if (duck) return duck;
  if (!inBrowser) throw new Error("DuckDB-wasm rows run in Chromium only (bench/peers/peers.mjs)");
  const m = await import("/bench/.peers/duckdb.js");
  const dist = "/node_modules/@duckdb/duckdb-wasm/dist";
  const worker = new Worker(`${dist}/duckdb-browser-eh.worker.js`);
  const db = new m.duckdb.AsyncDuckDB(new m.duckdb.VoidLogger(), worker);
  await db.instantiate(`${dist}/duckdb-eh.wasm`);
  const conn = await db.connect();
  const version = await db.getVersion();
  duck = {
    db,
    conn,
    arrow: m.arrow,
    version,
    query: (sql) => conn.query(sql),
    /** A table from JS typed arrays, through Arrow (how DuckDB-wasm takes data from a page). */
    async insertColumns(name, columns) {
      await conn.query(`DROP TABLE IF EXISTS ${name}`);
      await conn.insertArrowTable(m.arrow.tableFromArrays(columns), { name, create: true });
    },
  };
  return duck;
}
