// Vite config of the demo page. `www/` is the Vite root; `import ... from "crmscore"` in
// the page resolves like it does in a user's app: through package.json "exports"
// (the "browser"/"import" condition → pkg/bundler/crmscore.js, wasm-bindgen's
// `--target bundler` output, which imports the .wasm as an ES module).
//
//   node_modules/.bin/vite build --config www/vite.config.js     → www/dist
//   node_modules/.bin/vite --config www/vite.config.js           → dev server
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import wasm from "vite-plugin-wasm";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the built page works from any path it is served under.
  base: "./",
  // The page makes no request to any other origin; there is nothing to copy from public/.
  publicDir: false,
  plugins: [wasm()],
  // Workers are ES modules. The page's own data worker (src/parse.worker.js: CSV/JSON parsing
  // and the sample generator, `crmscore/sample`'s bundler build) needs the wasm plugin; the
  // engine's worker (crmscore/worker → pkg/worker/worker.js, found through its
  // `new Worker(new URL("./worker.js", import.meta.url))`) loads the web build's .wasm itself.
  worker: { format: "es", plugins: () => [wasm()] },
  // The dev server must not pre-bundle crmscore: esbuild would lose the engine's worker URL
  // and the .wasm files next to the modules.
  optimizeDeps: { exclude: ["crmscore"] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The bundler target instantiates the module with top-level await.
    target: "esnext",
    // The .wasm is ~200 KiB; keep it a separate, cacheable file (never inlined).
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: { port: 5173, strictPort: false, host: "127.0.0.1" },
  preview: { port: 5173, strictPort: false, host: "127.0.0.1" },
});
