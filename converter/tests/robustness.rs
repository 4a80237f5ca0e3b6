//! No input makes a reader panic: every prefix of every fixture, and random byte flips.

mod common;

use common::{read_fixture, GOOD};
use opml_converter::{detect_format, read_bytes, read_bytes_as, TensorMap};
use proptest::prelude::*;

const HOSTILE: &[&str] = &[
    "hostile/eval_global.pt",
    "hostile/system_legacy.pt",
    "hostile/eval_stack_global.pt",
    "hostile/huge_count.gguf",
    "hostile/huge_tensor.gguf",
    "hostile/bad_offset.safetensors",
];

fn well_formed(m: &TensorMap) {
    for (name, t) in &m.tensors {
        assert_eq!(
            t.data.len(),
            t.shape.iter().product::<usize>(),
            "tensor {name}: data length vs shape"
        );
    }
}

/// Every strict prefix of every fixture (read as the fixture's own format, so the
/// format-specific code sees each truncation) errors, or, where only trailing padding was cut,
/// reads to exactly what the whole file reads to.
#[test]
fn every_truncation_errors_or_is_padding() {
    for rel in GOOD.iter().chain(HOSTILE) {
        let bytes = read_fixture(rel);
        let format = detect_format(&bytes).unwrap();
        let full = read_bytes_as(&bytes, format).ok();
        let mut errors = 0usize;
        for len in 0..bytes.len() {
            match read_bytes_as(&bytes[..len], format) {
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    errors += 1;
                }
                Ok(m) => {
                    well_formed(&m);
                    assert_eq!(
                        Some(&m),
                        full.as_ref(),
                        "{rel}: truncated to {len} bytes read to something else"
                    );
                }
            }
        }
        // Only trailing GGUF padding (alignment at most 64 in the fixtures) can be cut silently.
        assert!(
            bytes.len() - errors < 64,
            "{rel}: {} of {} truncations read without error",
            bytes.len() - errors,
            bytes.len()
        );
    }
}

fn all_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    GOOD.iter()
        .chain(HOSTILE)
        .map(|rel| (*rel, read_fixture(rel)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    /// Random byte flips never panic, through format detection or the fixture's own reader.
    #[test]
    fn random_flips_never_panic(
        which in 0..GOOD.len() + HOSTILE.len(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let fixtures = all_fixtures();
        let (_, original) = &fixtures[which];
        let format = detect_format(original).unwrap();
        let mut bytes = original.clone();
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] ^= b.max(1);
        }
        if let Ok(m) = read_bytes_as(&bytes, format) {
            well_formed(&m);
        }
        if let Ok(m) = read_bytes(&bytes) {
            well_formed(&m);
        }
    }

    /// Random bytes after a valid-looking header never panic either.
    #[test]
    fn random_tails_never_panic(
        prefix in prop::sample::select(vec![
            b"GGUF\x03\x00\x00\x00".to_vec(),
            b"\x80\x02".to_vec(),
            b"PK\x03\x04".to_vec(),
            b"\x10\x00\x00\x00\x00\x00\x00\x00{".to_vec(),
        ]),
        tail in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = prefix;
        bytes.extend(tail);
        if let Ok(m) = read_bytes(&bytes) {
            well_formed(&m);
        }
    }
}

/// Flips concentrated in the pickle streams of the legacy fixture (where the unpickler, not a
/// checksum, sees them), exhaustively for one byte position at a time.
#[test]
fn every_single_byte_change_of_the_legacy_pickles() {
    let bytes = read_fixture("torch/legacy.pt");
    for at in 0..bytes.len() {
        for v in [0x00, 0x01, 0x7f, 0x80, 0xff, bytes[at] ^ 0x20] {
            let mut b = bytes.clone();
            b[at] = v;
            if let Ok(m) = read_bytes_as(&b, opml_converter::Format::TorchLegacy) {
                well_formed(&m);
            }
        }
    }
}

/// The same for every byte of the GGUF header, KV section and tensor infos.
#[test]
fn every_single_byte_change_of_the_gguf_header() {
    let bytes = read_fixture("gguf/tiny.gguf");
    for at in 0..bytes.len().min(1200) {
        for v in [0x00, 0x01, 0x7f, 0x80, 0xff, bytes[at] ^ 0x04] {
            let mut b = bytes.clone();
            b[at] = v;
            if let Ok(m) = read_bytes_as(&b, opml_converter::Format::Gguf) {
                well_formed(&m);
            }
        }
    }
}

/// Every single-byte change of the zip checkpoint's `data.pkl`, re-zipped with a correct CRC so
/// that the unpickler (not the zip checksum) sees the damage.
#[test]
fn every_single_byte_change_of_the_zip_data_pkl() {
    use std::io::Read;
    let bytes = read_fixture("torch/checkpoint.pt");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
    let mut pkl = Vec::new();
    let mut storages: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "checkpoint/data.pkl" {
            pkl = data;
        } else if let Some(key) = name.strip_prefix("checkpoint/data/") {
            storages.push((key.to_string(), data));
        }
    }
    let storages: Vec<(&str, &[u8])> = storages
        .iter()
        .map(|(k, d)| (k.as_str(), d.as_slice()))
        .collect();
    let rebuilt = common::torch_zip("checkpoint", &pkl, &storages);
    let full = read_bytes(&bytes).unwrap();
    assert_eq!(read_bytes(&rebuilt).unwrap(), full);
    for at in 0..pkl.len() {
        for v in [0x00, 0xff, pkl[at] ^ 0x01] {
            let mut p = pkl.clone();
            p[at] = v;
            if let Ok(m) = read_bytes(&common::torch_zip("checkpoint", &p, &storages)) {
                well_formed(&m);
            }
        }
    }
}
