// JS helpers of generateCrm: strings packed in wasm memory → JS strings, codes → labels.

const utf8In = new TextDecoder();

/** NUL-joined UTF-8 strings → string[]; missing (optional Uint8Array) marks nulls. */
export function unpackStrings(bytes, missing) {
  const parts = bytes.length ? utf8In.decode(bytes).split("\0") : [];
  if (missing) for (let i = 0; i < missing.length; i++) if (missing[i]) parts[i] = null;
  return parts;
}

/** Codes → their labels (one shared string per label). */
export function labels(codes, names) {
  const out = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = names[codes[i]];
  return out;
}

