//! wasm-bindgen-test in Node: the binding's boundary suite.
#![cfg(target_arch = "wasm32")]

mod wasm_suite;
