//! The shared op suite on the reference kernels: every case's output computed in arbitrary
//! contiguous byte ranges and concatenated equals the whole output; descriptors round-trip
//! through their canonical bytes.

use opml_dnn::graph::NodeDescriptor;
use opml_dnn::testcases::{all_cases, Case};
use proptest::prelude::*;

fn cases() -> &'static [Case] {
    static CASES: std::sync::OnceLock<Vec<Case>> = std::sync::OnceLock::new();
    CASES.get_or_init(|| all_cases(0x5EED))
}

#[test]
fn descriptors_round_trip() {
    for case in cases() {
        let bytes = case.node.encode();
        let back = NodeDescriptor::decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(back, case.node, "{}", case.name);
        assert_eq!(back.encode(), bytes, "{}", case.name);
    }
}

#[test]
fn truncated_descriptors_are_errors() {
    for case in cases().iter().step_by(7) {
        let bytes = case.node.encode();
        for len in 0..bytes.len() {
            assert!(
                NodeDescriptor::decode(&bytes[..len]).is_err(),
                "{}: prefix {len}",
                case.name
            );
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(
            NodeDescriptor::decode(&long).is_err(),
            "{}: trailing byte",
            case.name
        );
    }
}

#[test]
fn every_op_kind_has_cases() {
    let names: std::collections::BTreeSet<&str> =
        cases().iter().map(|c| c.node.op.name()).collect();
    for op in [
        "matmul",
        "conv2d",
        "pool2d",
        "binary",
        "requantize",
        "embedding",
        "reshape",
        "transpose",
        "concat",
        "slice",
        "argmax",
        "reduce_mean",
        "lut",
        "softmax",
        "norm",
        "rope",
    ] {
        assert!(names.contains(op), "no case for {op}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Output bytes computed in random pieces equal the whole output.
    #[test]
    fn ranges_concatenate_to_the_whole(which in any::<prop::sample::Index>(), cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6)) {
        let case = &cases()[which.index(cases().len())];
        let whole = case.reference();
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(whole.len() + 1)).collect();
        points.extend([0, whole.len()]);
        points.sort_unstable();
        points.dedup();
        let mut pieces = Vec::new();
        for w in points.windows(2) {
            let mut dst = vec![0u8; w[1] - w[0]];
            case.node.compute_bytes(&case.input_slices(), w[0]..w[1], &mut dst).unwrap();
            pieces.extend(dst);
        }
        prop_assert_eq!(pieces, whole, "{}", case.name);
    }
}
