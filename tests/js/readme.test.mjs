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
// Each example: its code, and what it prints — the ```text block after "Prints:" that follows
// it (every example must have one; "…" in it stands for any text, e.g. a timing).
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```\n(?:\s*Prints:\s*\n```text\n([\s\S]*?)```)?/g)].map((m) => ({
  code: m[1],
  prints: m[2],
}));
const escape = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const lineMatcher = (line) => new RegExp("^" + line.split("…").map(escape).join(".*?") + "$");
// Inside the package folder, `import "crmscore"` resolves to the package itself (self-reference).
const dir = join(root, "tests", "js", ".readme-examples");

test("README has JavaScript examples", () => {
  assert.ok(blocks.length >= 3, `found ${blocks.length}`);
});

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
blocks.forEach(({ code, prints }, i) => {
  const cjs = /\brequire\(/.test(code);
  const file = join(dir, `example${i + 1}.${cjs ? "cjs" : "mjs"}`);
  writeFileSync(file, code);
  test(`README example ${i + 1} (${cjs ? "CommonJS" : "ESM"}) prints what the README says`, () => {
    assert.ok(prints !== undefined, `example ${i + 1} has no "Prints:" block after it`);
    const out = execFileSync(process.execPath, [file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const got = out.replace(/\n$/, "").split("\n");
    const want = prints.replace(/\n$/, "").split("\n");
    assert.equal(got.length, want.length, `example ${i + 1}: ${got.length} lines printed, the README shows ${want.length}:\n${out}`);
    want.forEach((w, k) => assert.match(got[k], lineMatcher(w), `example ${i + 1}, line ${k + 1}`));
  });
});
