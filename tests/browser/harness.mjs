// Shared by the browser tests: a static server on 127.0.0.1 (random port, .wasm served as
// application/wasm) and a headless Debian Chromium driven by playwright-core.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { launchChromium } from "../../scripts/chromium.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serve files. `routes` maps URL prefixes to folders, longest prefix first
 * (e.g. { "/": dist, "/data/": dataDir }); `pages` maps exact paths to HTML strings.
 */
export async function serve(routes, pages = {}) {
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (pages[path] !== undefined) {
      res.writeHead(200, { "content-type": TYPES[".html"] });
      return res.end(pages[path]);
    }
    const prefix = prefixes.find((p) => path.startsWith(p));
    let rel = prefix === undefined ? null : normalize(path.slice(prefix.length));
    if (rel === null || rel.startsWith("..")) {
      res.writeHead(404);
      return res.end();
    }
    if (rel === "" || rel === "." || rel.endsWith("/")) rel = join(rel, "index.html");
    try {
      const body = await readFile(join(routes[prefix], rel));
      res.writeHead(200, { "content-type": TYPES[extname(rel)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((r) => server.close(r)) };
}

export function launch(extraArgs = []) {
  return launchChromium(extraArgs);
}

/** A page that fails the test on page errors and records every request URL. */
export async function newPage(browser) {
  const page = await browser.newPage();
  const errors = [];
  const requests = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("request", (r) => requests.push(r.url()));
  return { page, errors, requests };
}
