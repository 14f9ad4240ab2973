// The segment choices the demo offers, as `rfm` options.

/** Presets built into crmscore are defined on 5 bins per metric. */
export const PRESET_BINS = { rfmR: 5, rfGrid: 5 };

/** The `segments` option for a choice in the "Segment preset" menu. */
export function segmentsOption(choice, bins) {
  switch (choice) {
    case "rfmR":
    case "rfGrid":
      return choice; // built-in presets (need 5 bins: crmscore says so if not)
    case "halves":
      return halvesRules(bins);
    case "none":
      return []; // no rules: every customer gets the fallback segment ("Others")
    default:
      throw new Error(`unknown segment choice ${choice}`);
  }
}

/**
 * Four rules that work for any bin count: recency and frequency scores split into a lower
 * and an upper half (monetary ignored). They cover every cell, so nobody falls through.
 */
export function halvesRules(bins) {
  const half = Math.floor(bins / 2);
  const low = [1, half];
  const high = [half + 1, bins];
  const anyM = [1, bins];
  return [
    { name: "Active & frequent", recency: high, frequency: high, monetary: anyM },
    { name: "Active, infrequent", recency: high, frequency: low, monetary: anyM },
    { name: "Lapsing regulars", recency: low, frequency: high, monetary: anyM },
    { name: "Lapsed", recency: low, frequency: low, monetary: anyM },
  ];
}
