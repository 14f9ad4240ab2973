// Linux /proc readings for the Node side of the harness (no-ops elsewhere): memory of a
// process, its CPU time, machine-wide busy CPU time, and resetting the peak-RSS mark.
import { readFileSync, writeFileSync } from "node:fs";

const read = (p) => {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return null;
  }
};

/** { rss, hwm } in bytes (VmRSS, VmHWM) or null. */
export function memStatus(pid = "self") {
  const s = read(`/proc/${pid}/status`);
  if (!s) return null;
  const kb = (k) => +(s.match(new RegExp(`${k}:\\s+(\\d+)`)) || [0, NaN])[1] * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** Reset the process's VmHWM to its current RSS (Linux ≥ 4.0). */
export function resetPeak(pid = "self") {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** utime + stime of a process, in clock ticks (1/100 s). */
export function procTicks(pid = "self") {
  const s = read(`/proc/${pid}/stat`);
  if (!s) return null;
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return +f[11] + +f[12];
}

/** Busy (non-idle) CPU ticks of the whole machine. */
export function machineTicks() {
  const s = read("/proc/stat");
  if (!s) return null;
  const f = s.split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
}

/**
 * Measures how busy the rest of the machine was while `pid` ran: call start(), then
 * stop() → average number of cores used by other processes over the interval.
 */
export function otherLoad(pid = "self") {
  const m0 = machineTicks(), p0 = procTicks(pid), t0 = performance.now();
  return () => {
    const m1 = machineTicks(), p1 = procTicks(pid), t1 = performance.now();
    if (m0 == null || p0 == null || m1 == null || p1 == null) return null;
    const wallTicks = ((t1 - t0) / 1000) * 100;
    return wallTicks > 0 ? Math.max(0, (m1 - m0 - (p1 - p0)) / wallTicks) : null;
  };
}
