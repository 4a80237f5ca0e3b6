//! Hostile and malformed files: each is rejected with a message that names the problem.

mod common;

use common::{f32_bytes, fixtures, legacy, safetensors_raw, torch_zip, Gg, Pk};
use opml_converter::{read_bytes, read_file, ConvertError};

/// Reads `bytes` (format auto-detected), expects an error, and checks that its message holds
/// every one of `needles`.
fn rejects(bytes: &[u8], needles: &[&str]) -> ConvertError {
    match read_bytes(bytes) {
        Ok(m) => panic!(
            "expected an error containing {needles:?}, got {} tensors",
            m.tensors.len()
        ),
        Err(e) => {
            let msg = e.to_string();
            for n in needles {
                assert!(msg.contains(n), "error {msg:?} should contain {n:?}");
            }
            e
        }
    }
}

fn rejects_file(rel: &str, needles: &[&str]) -> ConvertError {
    let e = read_file(fixtures().join(rel)).expect_err(rel);
    let msg = e.to_string();
    for n in needles {
        assert!(msg.contains(n), "{rel}: error {msg:?} should contain {n:?}");
    }
    e
}

// ---------------------------------------------------------------- committed hostile fixtures

#[test]
fn pickle_calling_builtins_eval_is_refused() {
    // Protocol 2 writes Python 3's builtins under their Python 2 name.
    let e = rejects_file(
        "hostile/eval_global.pt",
        &["forbidden global __builtin__.eval", "evil/data.pkl"],
    );
    assert!(matches!(e, ConvertError::ForbiddenGlobal { .. }));
}

#[test]
fn pickle_calling_os_system_is_refused() {
    // os.system pickles as posix.system on Linux.
    rejects_file(
        "hostile/system_legacy.pt",
        &["forbidden global posix.system"],
    );
}

#[test]
fn stack_global_eval_is_refused() {
    rejects_file(
        "hostile/eval_stack_global.pt",
        &["forbidden global builtins.eval", "legacy object"],
    );
}

#[test]
fn gguf_with_absurd_tensor_count() {
    rejects_file(
        "hostile/huge_count.gguf",
        &["tensor count 1152921504606846976 cannot fit"],
    );
}

#[test]
fn gguf_with_absurd_tensor_size() {
    rejects_file(
        "hostile/huge_tensor.gguf",
        &["tensor 'huge'", "runs past the end"],
    );
}

#[test]
fn safetensors_with_bad_offset() {
    rejects_file("hostile/bad_offset.safetensors", &["'bad'", "past the end"]);
}

// ---------------------------------------------------------------- GGUF, crafted

#[test]
fn gguf_version_and_magic() {
    let mut v2 = Gg::new().build();
    v2[4..8].copy_from_slice(&2u32.to_le_bytes());
    rejects(&v2, &["unsupported GGUF version 2", "only version 3"]);
    let mut be = Gg::new().build();
    be[4..8].copy_from_slice(&3u32.to_be_bytes());
    rejects(&be, &["big-endian"]);
    let mut bad = Gg::new().build();
    bad[..4].copy_from_slice(b"GGUF");
    bad[3] = b'X';
    assert!(opml_converter::gguf::read(&bad)
        .unwrap_err()
        .to_string()
        .contains("bad magic"));
}

#[test]
fn gguf_absurd_kv_count_and_array_length() {
    let mut g = Gg::new();
    g.n_kv = 1 << 62;
    rejects(
        &g.build(),
        &["metadata KV count 4611686018427387904 cannot fit"],
    );

    let mut value = 0u32.to_le_bytes().to_vec(); // UINT8 elements
    value.extend_from_slice(&(1u64 << 60).to_le_bytes());
    rejects(
        &Gg::new().kv("tokenizer.scores", 9, &value).build(),
        &["'tokenizer.scores'", "array of 1152921504606846976 UINT8"],
    );

    let mut s = (1u64 << 40).to_le_bytes().to_vec();
    s.extend_from_slice(b"abc");
    rejects(
        &Gg::new().kv("general.name", 8, &s).build(),
        &["'general.name'", "needs 1099511627776 bytes"],
    );
}

#[test]
fn gguf_nested_arrays_are_bounded() {
    // ARRAY of ARRAY of ... 20 deep, each of length 1, ending in a u8.
    let mut value = Vec::new();
    for _ in 0..20 {
        value.extend_from_slice(&9u32.to_le_bytes());
        value.extend_from_slice(&1u64.to_le_bytes());
    }
    value.extend_from_slice(&0u32.to_le_bytes());
    value.extend_from_slice(&1u64.to_le_bytes());
    value.push(7);
    // The outer KV type is ARRAY too: strip the first element-type field accordingly.
    rejects(
        &Gg::new().kv("deep", 9, &value).build(),
        &["'deep'", "nested deeper than 8"],
    );
}

#[test]
fn gguf_unknown_value_type_and_duplicates() {
    rejects(
        &Gg::new().kv("k", 13, &[0]).build(),
        &["'k'", "unknown value type 13"],
    );
    rejects(
        &Gg::new().kv("k", 0, &[1]).kv("k", 0, &[2]).build(),
        &["duplicate metadata key 'k'"],
    );
    let d = f32_bytes(&[1.0]);
    rejects(
        &Gg::new()
            .tensor("t", &[1], 0, &d)
            .tensor("t", &[1], 0, &d)
            .build(),
        &["duplicate tensor name 't'"],
    );
}

#[test]
fn gguf_bad_alignment() {
    rejects(
        &Gg::new()
            .kv("general.alignment", 4, &3u32.to_le_bytes())
            .build(),
        &["general.alignment must be a power of two"],
    );
    rejects(
        &Gg::new().kv("general.alignment", 8, &[0; 9]).build(),
        &["general.alignment"],
    );
}

#[test]
fn gguf_bad_tensor_infos() {
    let d = f32_bytes(&[0.0; 32]);
    rejects(
        &Gg::new().tensor("five", &[1, 1, 1, 1, 1], 0, &d).build(),
        &["tensor 'five' has n_dims = 5"],
    );
    rejects(
        &Gg::new()
            .tensor("blk.0.ffn_up.weight", &[256], 12, &[0; 144])
            .build(),
        &["tensor 'blk.0.ffn_up.weight'", "Q4_K (12) is not supported"],
    );
    rejects(
        &Gg::new().tensor("weird", &[4], 200, &d).build(),
        &["tensor 'weird'", "unknown (200)"],
    );
    rejects(
        &Gg::new().tensor("q", &[31], 8, &[0; 34]).build(),
        &["tensor 'q'", "multiple of 32"],
    );
    rejects(
        &Gg::new()
            .tensor_at("ovf", &[1 << 32, 1 << 32, 1 << 32], 0, 0)
            .build(),
        &["tensor 'ovf'", "overflow"],
    );
    let mut g = Gg::new();
    g.tensor("a", &[4], 0, &d);
    g.tensor_at("mis", &[1], 0, 4);
    rejects(
        &g.build(),
        &["tensor 'mis'", "not a multiple of the alignment 32"],
    );
    let mut g = Gg::new();
    g.tensor_at("far", &[8], 0, 1 << 62);
    rejects(&g.build(), &["tensor 'far'", "runs past the end"]);
    // Invalid UTF-8 in a tensor name.
    let mut g = Gg::new();
    g.tensor("x\u{e9}", &[1], 0, &d);
    let mut bytes = g.build();
    let pos = bytes
        .windows(2)
        .position(|w| w == "\u{e9}".as_bytes())
        .unwrap();
    bytes[pos] = 0xff;
    rejects(&bytes, &["name of tensor info 0 is not valid UTF-8"]);
}

#[test]
fn gguf_aliasing_tensors_hit_the_output_limit() {
    // 200 tensors that all point at the same 4 KiB: tiny file, 800 KiB of output.
    let mut g = Gg::new();
    g.tensor("t0", &[1024], 0, &[0; 4096]);
    for i in 1..200 {
        g.tensor_at(&format!("t{i}"), &[1024], 0, 0);
    }
    let e = rejects(&g.build(), &["GGUF", "refusing to allocate"]);
    assert!(matches!(e, ConvertError::TooLarge { .. }));
}

// ---------------------------------------------------------------- safetensors, crafted

#[test]
fn safetensors_crafted() {
    rejects(
        &safetensors_raw(
            r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
            &[0; 12],
        ),
        &["offset", "'b'"],
    );
    rejects(
        &safetensors_raw(
            r#"{"f8":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}"#,
            &[0; 2],
        ),
        &["tensor 'f8'", "dtype F8_E4M3 is not supported"],
    );
    rejects(
        &safetensors_raw(
            r#"{"big":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,4]}}"#,
            &[0; 4],
        ),
        &["overflow"],
    );
    rejects(
        &safetensors_raw(
            r#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
            &[0; 8],
        ),
        &["safetensors", "'a'"],
    );
    rejects(&safetensors_raw(r#"{"a": nope}"#, &[]), &["invalid JSON"]);
    let mut huge = (1u64 << 60).to_le_bytes().to_vec();
    huge.extend_from_slice(b"{}");
    rejects(&huge, &["header too large"]);
}

// ---------------------------------------------------------------- PyTorch / pickle, crafted

/// A legacy checkpoint holding `{"w": <tensor>}` with one storage "0" of `data`.
fn legacy_one(
    class: &str,
    numel: i64,
    offset: i64,
    size: &[i64],
    stride: &[i64],
    data: &[u8],
    data_numel: u64,
) -> Vec<u8> {
    let mut p = Pk::new();
    p.op(b'}')
        .str("w")
        .tensor(class, "0", numel, offset, size, stride);
    p.op(b's').stop();
    legacy(&p.0, &[("0", data_numel, data)])
}

#[test]
fn crafted_checkpoint_reads() {
    // The builder itself produces a readable checkpoint (so the hostile variants below fail
    // for the reason they claim, not for a builder bug).
    let data = f32_bytes(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let m = read_bytes(&legacy_one(
        "FloatStorage",
        6,
        1,
        &[2, 2],
        &[1, 2],
        &data,
        6,
    ))
    .unwrap();
    assert_eq!(m.tensors["w"].shape, vec![2, 2]);
    assert_eq!(m.tensors["w"].data, vec![2.0, 4.0, 3.0, 5.0]);
    let zip = torch_zip(
        "any_name",
        &{
            let mut p = Pk::new();
            p.op(b'}')
                .str("w")
                .tensor("FloatStorage", "0", 6, 0, &[6], &[1]);
            p.op(b's').stop();
            p.0
        },
        &[("0", &data)],
    );
    let m = read_bytes(&zip).unwrap();
    assert_eq!(m.tensors["w"].data, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
}

#[test]
fn torch_view_out_of_storage() {
    let data = f32_bytes(&[0.0; 4]);
    rejects(
        &legacy_one("FloatStorage", 4, 0, &[3], &[2], &data, 4),
        &["tensor 'w'", "reaches past the 4 elements of storage '0'"],
    );
    rejects(
        &legacy_one("FloatStorage", 4, 4, &[1], &[1], &data, 4),
        &["tensor 'w'", "reaches past"],
    );
    // The persistent id claims more elements than the storage holds.
    rejects(
        &legacy_one("FloatStorage", 1 << 40, 0, &[4], &[1], &data, 4),
        &["tensor 'w'", "declares 1099511627776 F32 elements"],
    );
}

#[test]
fn torch_huge_sizes_error_before_allocating() {
    let data = f32_bytes(&[0.0; 4]);
    // Stride 0 over 2^40 elements: in bounds, but far past the output limit.
    let e = rejects(
        &legacy_one("FloatStorage", 4, 0, &[1 << 40], &[0], &data, 4),
        &["'w'", "refusing to allocate"],
    );
    assert!(matches!(e, ConvertError::TooLarge { .. }));
    rejects(
        &legacy_one("FloatStorage", 4, 0, &[1 << 40, 1 << 40], &[0, 0], &data, 4),
        &["tensor 'w'", "overflows"],
    );
    rejects(
        &legacy_one("FloatStorage", 4, 0, &[4], &[1], &data, 1 << 60),
        &["storage '0'", "claims 1152921504606846976 F32 elements"],
    );
    rejects(
        &legacy_one("FloatStorage", 4, 0, &[2], &[-1], &data, 4),
        &["stride", "negative"],
    );
}

#[test]
fn forbidden_globals_in_crafted_pickles() {
    for (module, name) in [
        ("torch.storage", "_load_from_bytes"),
        ("torch._utils", "_rebuild_device_tensor_from_numpy"),
        ("__builtin__", "getattr"),
        ("subprocess", "Popen"),
        ("torch", "load"),
    ] {
        let mut p = Pk::new();
        p.global(module, name).op(b')').reduce().stop();
        rejects(
            &legacy(&p.0, &[]),
            &[&format!("forbidden global {module}.{name}")],
        );
    }
}

#[test]
fn malformed_pickles() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"\x80\x02S'x'\n.".to_vec(),
            "opcode 0x53 ('S') is not accepted",
        ),
        (b"\x80\x02i__main__\nX\n.".to_vec(), "opcode 0x69 ('i')"),
        (b"\x80\x02h\x07.".to_vec(), "memo key 7 was never stored"),
        (b"\x80\x02.".to_vec(), "stack underflow (STOP)"),
        (b"\x80\x09.".to_vec(), "unsupported pickle protocol 9"),
        (
            b"\x80\x02X\xff\xff\xff\xffab.".to_vec(),
            "BINUNICODE needs 4294967295 bytes",
        ),
        (b"\x80\x02}K\x01s.".to_vec(), "stack underflow"),
        (b"\x80\x02]K\x01K\x02s.".to_vec(), "SETITEM(S) on a list"),
        (b"\x80\x02t.".to_vec(), "TUPLE without a MARK"),
        (
            [b"\x80\x02\x8a\xc8".as_slice(), &[1; 200], b"."].concat(),
            "LONG1 of 200 bytes is too large",
        ),
        (
            b"\x80\x02ccollections\nOrderedDict\n]\x85R.".to_vec(),
            "OrderedDict(...) with arguments",
        ),
        (b"\x80\x02K\x01)R.".to_vec(), "REDUCE on a int"),
        (
            b"\x80\x02ctorch\nFloatStorage\n)R.".to_vec(),
            "not callable",
        ),
        (b"\x80\x02K\x01K\x02b.".to_vec(), "BUILD on a int"),
        (
            b"\x80\x02(X\x01\x00\x00\x00xtQ.".to_vec(),
            "persistent id has 1 fields",
        ),
    ];
    for (object, needle) in cases {
        rejects(&legacy(&object, &[]), &[needle, "legacy object"]);
    }
}

#[test]
fn legacy_header_checks() {
    let mut bad_magic = Pk::new();
    bad_magic.int(12345).stop();
    let mut bytes = bad_magic.0.clone();
    bytes.extend_from_slice(&legacy(b"\x80\x02}.", &[])[20..]);
    assert_eq!(opml_converter::detect_format(&bytes), None);
    let e = opml_converter::torch::read_legacy(&bytes).unwrap_err();
    assert!(e.to_string().contains("magic number"), "{e}");
    let ok = legacy(b"\x80\x02}.", &[]);
    assert!(read_bytes(&ok).unwrap().tensors.is_empty());
    // The key list names a storage the object never references.
    rejects(
        &legacy(b"\x80\x02}.", &[("9", 0, &[])]),
        &["storage '9' is listed but never referenced"],
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    // 1,000,000 nested 1-tuples (1 byte each), and 200,000 nested lists.
    let mut p = Pk::new();
    p.op(b'N');
    p.raw(&vec![0x85; 1_000_000]).stop();
    rejects(&legacy(&p.0, &[]), &["nested deeper than 64"]);

    let mut p = Pk::new();
    p.raw(&vec![b']'; 200_000]).raw(&vec![b'a'; 199_999]).stop();
    rejects(&legacy(&p.0, &[]), &["nested deeper than 64"]);
}

#[test]
fn cycles_and_shared_subtrees_are_bounded() {
    // A list that contains itself.
    let cyclic = b"\x80\x02]q\x00h\x00a.".to_vec();
    rejects(&legacy(&cyclic, &[]), &["PyTorch checkpoint", "too often"]);
    // d_{i+1} = {"a": d_i, "b": d_i}: 2^50 paths from 50 dicts.
    let mut p = Pk::new();
    p.op(b'}').str("x").int(1).op(b's').put(0);
    for i in 0..50u8 {
        p.op(b'}')
            .str("a")
            .get(i)
            .op(b's')
            .str("b")
            .get(i)
            .op(b's')
            .put(i + 1);
    }
    p.stop();
    rejects(&legacy(&p.0, &[]), &["shares containers too often"]);
}

#[test]
fn zip_container_problems() {
    let data = f32_bytes(&[1.0]);
    let mut pkl = Pk::new();
    pkl.op(b'}')
        .str("w")
        .tensor("FloatStorage", "0", 1, 0, &[1], &[1]);
    pkl.op(b's').stop();
    rejects(
        &torch_zip("ckpt", &pkl.0, &[]),
        &["storage '0'", "ckpt/data/0 is missing"],
    );
    let mut no_pkl = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut no_pkl);
        z.start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.finish().unwrap();
    }
    rejects(&no_pkl.into_inner(), &["no data.pkl"]);
    // A big-endian checkpoint.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("m/data.pkl", o).unwrap();
        z.write_all(&pkl.0).unwrap();
        z.start_file("m/byteorder", o).unwrap();
        z.write_all(b"big").unwrap();
        z.start_file("m/data/0", o).unwrap();
        z.write_all(&data).unwrap();
        z.finish().unwrap();
    }
    rejects(&buf.into_inner(), &["m/byteorder", "only little-endian"]);
    rejects(b"PK\x03\x04garbage", &["zip archive"]);
}

#[test]
fn unknown_format() {
    let e = read_bytes(b"definitely not weights").unwrap_err();
    assert!(e.to_string().contains("not a known weight file"), "{e}");
    let e = read_file(fixtures().join("does-not-exist.bin")).unwrap_err();
    assert!(e.to_string().contains("does-not-exist.bin"), "{e}");
}

#[test]
fn bad_config_json_is_reported() {
    let dir = std::env::temp_dir().join(format!("opml-conv-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixtures().join("gguf/tiny.gguf"), dir.join("model.gguf")).unwrap();
    std::fs::write(dir.join("config.json"), b"{ not json").unwrap();
    let e = read_file(dir.join("model.gguf")).unwrap_err();
    assert!(e.to_string().contains("config.json"), "{e}");
    std::fs::write(dir.join("config.json"), br#"{"hidden_size": 8}"#).unwrap();
    let m = read_file(dir.join("model.gguf")).unwrap();
    assert_eq!(m.metadata.config.unwrap()["hidden_size"], 8);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn zip_with(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            z.start_file(*name, o).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn deflated_checkpoints_read_but_bombs_do_not_inflate() {
    let data = f32_bytes(&[1.5, -2.0]);
    let mut pkl = Pk::new();
    pkl.op(b'}')
        .str("w")
        .tensor("FloatStorage", "0", 2, 0, &[2], &[1]);
    pkl.op(b's').stop();
    let ok = zip_with(
        &[("c/data.pkl", &pkl.0), ("c/data/0", &data)],
        zip::CompressionMethod::Deflated,
    );
    assert_eq!(read_bytes(&ok).unwrap().tensors["w"].data, vec![1.5, -2.0]);

    // 8 MiB of zeros deflate to a few KiB: more than 16x the archive once inflated.
    let zeros = vec![0u8; 8 << 20];
    let bomb = zip_with(
        &[("c/data.pkl", &pkl.0), ("c/data/0", &zeros)],
        zip::CompressionMethod::Deflated,
    );
    assert!(bomb.len() < 64 << 10);
    rejects(&bomb, &["entry c/data/0 declares 8388608 bytes", "16x"]);
}

#[test]
fn safetensors_header_length_never_reads_as_a_pickle() {
    // A header length of 0x280 starts with the bytes 0x80 0x02, like pickle PROTO 2.
    let mut header = r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#.to_string();
    header.push_str(&" ".repeat(0x280 - header.len()));
    let bytes = safetensors_raw(&header, &f32_bytes(&[7.0]));
    assert_eq!(&bytes[..2], &[0x80, 0x02]);
    assert_eq!(
        opml_converter::detect_format(&bytes),
        Some(opml_converter::Format::Safetensors)
    );
    assert_eq!(read_bytes(&bytes).unwrap().tensors["a"].data, vec![7.0]);
}

/// Memo references make a pickle cheap to write and expensive to expand; every such expansion
/// is charged against the output limit before it is made.
#[test]
fn memo_amplification_is_bounded() {
    let big = "k".repeat(100_000);
    // 20,000 entries {"<100 KB key>.<i>": ...}: a dict of dicts keyed by the same memoized
    // 100 KB string; the names alone would be 2 GB.
    let mut p = Pk::new();
    p.str(&big).put(0).op(b'}');
    for i in 0..20_000 {
        p.int(i).op(b'}').get(0).int(1).op(b's').op(b's');
    }
    p.stop();
    let t = std::time::Instant::now();
    rejects(&legacy(&p.0, &[]), &["refusing to allocate"]);
    assert!(t.elapsed().as_secs() < 20);

    // A list of 200,000 references to the same 100 KB string (20 GB as metadata).
    let mut p = Pk::new();
    p.op(b'}').str("tokens").op(b']').mark().str(&big).put(0);
    for _ in 0..200_000 {
        p.get(0);
    }
    p.op(b'e').op(b's').stop();
    rejects(&legacy(&p.0, &[]), &["'tokens'", "refusing to allocate"]);

    // The legacy key list: 500,000 references to one key, with no storage bytes behind them.
    let mut object = Pk::new();
    object
        .op(b'}')
        .str("w")
        .tensor("FloatStorage", "0", 1, 0, &[1], &[1]);
    object.op(b's').stop();
    let mut bytes = legacy(&object.0, &[]);
    let keys_at = bytes.len() - b"\x80\x02](e.".len();
    let mut keys = Pk::new();
    keys.op(b']').mark().str("0").put(0);
    for _ in 0..500_000 {
        keys.get(0);
    }
    keys.op(b'e').stop();
    bytes.truncate(keys_at);
    bytes.extend(keys.0);
    bytes.extend_from_slice(&1u64.to_le_bytes());
    bytes.extend_from_slice(&f32_bytes(&[1.0]));
    rejects(&bytes, &["storage '0'", "element count", "is missing"]);
}

#[test]
fn long_keys_and_many_dims_are_refused() {
    let key = "9".repeat(1000);
    let mut p = Pk::new();
    p.op(b'}')
        .str("w")
        .tensor("FloatStorage", &key, 1, 0, &[1], &[1]);
    p.op(b's').stop();
    rejects(
        &legacy(&p.0, &[]),
        &["persistent id storage key is 1000 bytes long"],
    );
    let mut p = Pk::new();
    p.op(b'}')
        .str("w")
        .tensor("FloatStorage", "0", 1, 0, &[1; 100], &[1; 100]);
    p.op(b's').stop();
    rejects(
        &legacy(&p.0, &[("0", 1, &f32_bytes(&[1.0]))]),
        &["size has 100 dimensions, more than 64"],
    );
}
