// A small static file server for the built demo (www/dist), used by scripts/demo.sh and
// tests/browser/demo.test.mjs. Serves .wasm as application/wasm (needed for
// WebAssembly.instantiateStreaming), binds to 127.0.0.1 only, never lists directories.
//
//   node www/server.mjs [dir] [--port N]     (default dir www/dist, port $PORT or 5173;
//                                             the next free port if that one is taken)
import { createServer } from "node:http";
import { createReadStream, promises as fs } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

function handler(root) {
  return async (req, res) => {
    const send = (status, text) => {
      res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(text);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed");
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      return send(400, "bad request");
    }
    if (path.endsWith("/")) path += "index.html";
    const file = resolve(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return send(403, "forbidden");
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      return send(404, "not found");
    }
    if (!stat.isFile()) return send(404, "not found");
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": stat.size,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  };
}

/**
 * Serves `dir` on http://host:port/. port 0 = any free port. With `fallback`, a taken port
 * moves on to the next ones (up to 20). Resolves to { url, port, server, close() }.
 */
export async function startServer({ dir, port = 0, host = "127.0.0.1", fallback = false }) {
  const root = resolve(dir);
  const server = createServer(handler(root));
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise((ok, fail) => {
        server.once("error", fail);
        server.listen(port + (port ? attempt : 0), host, () => {
          server.off("error", fail);
          ok();
        });
      });
      break;
    } catch (e) {
      if (!(fallback && port && e.code === "EADDRINUSE" && attempt < 20)) throw e;
    }
  }
  const actual = server.address().port;
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}/`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections?.();
      }),
  };
}

// CLI
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--port");
  const port = Number(i >= 0 ? args.splice(i, 2)[1] : process.env.PORT || 5173);
  const dir = args[0] ?? fileURLToPath(new URL("./dist", import.meta.url));
  try {
    await fs.access(join(dir, "index.html"));
  } catch {
    console.error(`server: ${dir}/index.html not found (build first: node_modules/.bin/vite build --config www/vite.config.js)`);
    process.exit(1);
  }
  const { url, close } = await startServer({ dir, port, fallback: true });
  console.log(`\n  crmscore demo: ${url}\n\n  serving ${resolve(dir)} (Ctrl-C to stop)\n`);
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
