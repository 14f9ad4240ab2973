// The sink of the core's progress reports (crate::progress): a host that wants them (the
// worker engine, js/worker/serve.js) sets globalThis.__crmscoreProgress for the call. It
// cannot throw into Rust: whatever the hook throws is dropped here.
export function reportProgress(fraction) {
  const hook = globalThis.__crmscoreProgress;
  if (typeof hook === "function") {
    try {
      hook(fraction);
    } catch {
      // a failing progress display must not fail the call
    }
  }
}
