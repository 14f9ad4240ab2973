//! wasm-bindgen-test in Node: the binding's suite.
#![cfg(target_arch = "wasm32")]

mod common;
mod wasm_suite;
