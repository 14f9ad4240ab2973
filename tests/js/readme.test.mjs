// Every JavaScript code example in README.md runs, against the BUILT package, as a user would.
// (The HTML example runs in Chromium: tests/browser/web.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
// Inside the package folder, `import "crmscore"` resolves to the package itself (self-reference).
const dir = join(root, "tests", "js", ".readme-examples");

test("README has JavaScript examples", () => {
  assert.ok(blocks.length >= 3, `found ${blocks.length}`);
});

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
blocks.forEach((code, i) => {
  const cjs = /\brequire\(/.test(code);
  const file = join(dir, `example${i + 1}.${cjs ? "cjs" : "mjs"}`);
  writeFileSync(file, code);
  test(`README example ${i + 1} (${cjs ? "CommonJS" : "ESM"}) runs`, () => {
    const out = execFileSync(process.execPath, [file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    assert.ok(out.length > 0, "the example prints something");
  });
});
