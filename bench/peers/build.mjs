// Bundles the peer libraries for the benchmark page (bench/.peers/, git-ignored): DuckDB-wasm's
// API with Apache Arrow, and Arquero, each as one ES module a page can import (their packages
// import their dependencies by bare names). DuckDB's worker script and .wasm are served as they
// ship, from node_modules/@duckdb/duckdb-wasm/dist. Called by run.mjs before a Chromium run;
// skips the work when the bundles are newer than the installed packages.
import { build } from "esbuild";
import { existsSync, statSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const out = join(root, "bench", ".peers");

const entries = {
  "duckdb.js": `export * as duckdb from "@duckdb/duckdb-wasm"; export * as arrow from "apache-arrow";`,
  "arquero.js": `export * from "arquero";`,
};

export async function buildPeers() {
  mkdirSync(out, { recursive: true });
  const lock = join(root, "node_modules", ".package-lock.json");
  const stamp = existsSync(lock) ? statSync(lock).mtimeMs : Infinity;
  for (const [file, contents] of Object.entries(entries)) {
    const target = join(out, file);
    if (existsSync(target) && statSync(target).mtimeMs > stamp && statSync(target).mtimeMs > statSync(fileURLToPath(import.meta.url)).mtimeMs) continue;
    await build({
      stdin: { contents, resolveDir: root, sourcefile: file, loader: "js" },
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      outfile: target,
      logLevel: "warning",
    });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildPeers();
  console.log(`peer bundles in ${out}`);
}
