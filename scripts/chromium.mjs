// The one place that knows how to start Chromium here: Debian's /usr/bin/chromium driven by
// playwright-core (never `playwright install`), with the flags this closed network needs.
// Used by the browser tests, the packaging test and the benchmarks.
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM || "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  // Without these, Chromium floods the closed network with background connections.
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
