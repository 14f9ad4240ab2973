//! wasm-bindgen-test in headless Chromium: the same suite as tests/wasm_node.rs.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod wasm_suite;
