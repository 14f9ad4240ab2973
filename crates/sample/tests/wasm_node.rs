//! The generator in wasm (Node, through wasm-bindgen-test): the same sample as natively.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

/// The generator's math is portable (its own ln / exp, exact IEEE arithmetic): a seed gives
/// the same sample in wasm as natively (the golden digest of crates/sample/tests/native.rs),
/// and classifying it in wasm meets the planted truth the same way.
#[wasm_bindgen_test]
fn crm_sample_is_identical_in_wasm() {
    use crmscore_sample::{generate, CrmSampleOptions};
    let s = generate(&CrmSampleOptions {
        customers: 3000,
        seed: 42,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        s.digest(),
        0xd4c5_1395_67e6_b495,
        "digest {:#018x}",
        s.digest()
    );
}
