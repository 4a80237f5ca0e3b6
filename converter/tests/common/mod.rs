//! Helpers shared by the integration tests: fixture paths and builders for crafted files.
#![allow(dead_code, unreachable_pub)]

use std::io::Write;
use std::path::PathBuf;

/// `converter/fixtures`.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every committed good fixture (weights files), relative to `fixtures()`.
pub const GOOD: &[&str] = &[
    "torch/checkpoint.pt",
    "torch/legacy.pt",
    "safetensors/model.safetensors",
    "gguf/tiny.gguf",
    "gguf/aligned64.gguf",
];

pub fn read_fixture(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap()
}

/// A tiny pickle writer (protocol 2 opcodes unless said otherwise).
#[derive(Default)]
pub struct Pk(pub Vec<u8>);

impl Pk {
    pub fn new() -> Self {
        Pk(vec![0x80, 2])
    }
    pub fn raw(&mut self, b: &[u8]) -> &mut Self {
        self.0.extend_from_slice(b);
        self
    }
    pub fn op(&mut self, b: u8) -> &mut Self {
        self.0.push(b);
        self
    }
    pub fn global(&mut self, module: &str, name: &str) -> &mut Self {
        self.0.push(b'c');
        self.0.extend_from_slice(module.as_bytes());
        self.0.push(b'\n');
        self.0.extend_from_slice(name.as_bytes());
        self.0.push(b'\n');
        self
    }
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.0.push(b'X');
        self.0.extend_from_slice(&(s.len() as u32).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
        self
    }
    pub fn int(&mut self, v: i32) -> &mut Self {
        self.0.push(b'J');
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// LONG1 of an i64.
    pub fn long(&mut self, v: i64) -> &mut Self {
        self.0.extend_from_slice(&[0x8a, 8]);
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn mark(&mut self) -> &mut Self {
        self.op(b'(')
    }
    pub fn tuple(&mut self) -> &mut Self {
        self.op(b't')
    }
    pub fn reduce(&mut self) -> &mut Self {
        self.op(b'R')
    }
    pub fn stop(&mut self) -> &mut Self {
        self.op(b'.')
    }
    pub fn put(&mut self, k: u8) -> &mut Self {
        self.raw(&[b'q', k])
    }
    pub fn get(&mut self, k: u8) -> &mut Self {
        self.raw(&[b'h', k])
    }
    /// Pushes `_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())`.
    pub fn tensor(
        &mut self,
        storage_class: &str,
        key: &str,
        numel: i64,
        offset: i64,
        size: &[i64],
        stride: &[i64],
    ) -> &mut Self {
        self.global("torch._utils", "_rebuild_tensor_v2");
        self.mark();
        // persistent id
        self.mark()
            .str("storage")
            .global("torch", storage_class)
            .str(key)
            .str("cpu")
            .long(numel)
            .tuple()
            .op(b'Q');
        self.long(offset);
        self.mark();
        for &s in size {
            self.long(s);
        }
        self.tuple();
        self.mark();
        for &s in stride {
            self.long(s);
        }
        self.tuple();
        self.op(0x89); // False
        self.global("collections", "OrderedDict").op(b')').reduce();
        self.tuple().reduce()
    }
}

/// A legacy-format checkpoint: magic, version, sys info, `object`, key list, then storages.
pub fn legacy(object: &[u8], storages: &[(&str, u64, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(
        Pk::new()
            .raw(&[0x8a, 10])
            .raw(&0x1950a86a20f9469cfc6c_u128.to_le_bytes()[..10])
            .stop()
            .0
            .clone(),
    );
    out.extend(Pk::new().int(1001).stop().0.clone());
    out.extend(
        Pk::new()
            .op(b'}')
            .mark()
            .str("protocol_version")
            .int(1001)
            .str("little_endian")
            .op(0x88)
            .op(b'u')
            .stop()
            .0
            .clone(),
    );
    out.extend_from_slice(object);
    let mut keys = Pk::new();
    keys.op(b']').mark();
    for (k, _, _) in storages {
        keys.str(k);
    }
    keys.op(b'e').stop();
    out.extend(keys.0);
    for (_, numel, data) in storages {
        out.extend_from_slice(&numel.to_le_bytes());
        out.extend_from_slice(data);
    }
    out
}

/// A zip checkpoint with `prefix/data.pkl`, `prefix/byteorder` and `prefix/data/<key>`.
pub fn torch_zip(prefix: &str, data_pkl: &[u8], storages: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file(format!("{prefix}/data.pkl"), opts).unwrap();
        z.write_all(data_pkl).unwrap();
        z.start_file(format!("{prefix}/byteorder"), opts).unwrap();
        z.write_all(b"little").unwrap();
        for (k, d) in storages {
            z.start_file(format!("{prefix}/data/{k}"), opts).unwrap();
            z.write_all(d).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// f32 values as little-endian bytes.
pub fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A GGUF v3 writer for crafted files.
pub struct Gg {
    pub head: Vec<u8>,
    pub kv: Vec<u8>,
    pub n_kv: u64,
    pub infos: Vec<u8>,
    pub n_tensors: u64,
    pub data: Vec<u8>,
    pub alignment: usize,
}

impl Gg {
    pub fn new() -> Self {
        Gg {
            head: b"GGUF".to_vec(),
            kv: Vec::new(),
            n_kv: 0,
            infos: Vec::new(),
            n_tensors: 0,
            data: Vec::new(),
            alignment: 32,
        }
    }
    pub fn s(buf: &mut Vec<u8>, s: &[u8]) {
        buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
        buf.extend_from_slice(s);
    }
    /// A raw KV: key, type, value bytes.
    pub fn kv(&mut self, key: &str, ty: u32, value: &[u8]) -> &mut Self {
        Self::s(&mut self.kv, key.as_bytes());
        self.kv.extend_from_slice(&ty.to_le_bytes());
        self.kv.extend_from_slice(value);
        self.n_kv += 1;
        self
    }
    /// A tensor info; `data` is appended to the data section (padded to the alignment).
    pub fn tensor(&mut self, name: &str, dims: &[u64], ty: u32, data: &[u8]) -> &mut Self {
        let offset = self.data.len() as u64;
        self.tensor_at(name, dims, ty, offset);
        self.data.extend_from_slice(data);
        while !self.data.len().is_multiple_of(self.alignment) {
            self.data.push(0);
        }
        self
    }
    pub fn tensor_at(&mut self, name: &str, dims: &[u64], ty: u32, offset: u64) -> &mut Self {
        Self::s(&mut self.infos, name.as_bytes());
        self.infos
            .extend_from_slice(&(dims.len() as u32).to_le_bytes());
        for d in dims {
            self.infos.extend_from_slice(&d.to_le_bytes());
        }
        self.infos.extend_from_slice(&ty.to_le_bytes());
        self.infos.extend_from_slice(&offset.to_le_bytes());
        self.n_tensors += 1;
        self
    }
    pub fn build(&self) -> Vec<u8> {
        let mut out = self.head.clone();
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&self.n_tensors.to_le_bytes());
        out.extend_from_slice(&self.n_kv.to_le_bytes());
        out.extend_from_slice(&self.kv);
        out.extend_from_slice(&self.infos);
        while !out.len().is_multiple_of(self.alignment) {
            out.push(0);
        }
        out.extend_from_slice(&self.data);
        out
    }
}

/// A safetensors file from a raw JSON header and data.
pub fn safetensors_raw(header: &str, data: &[u8]) -> Vec<u8> {
    let mut h = header.as_bytes().to_vec();
    while !h.len().is_multiple_of(8) {
        h.push(b' ');
    }
    let mut out = (h.len() as u64).to_le_bytes().to_vec();
    out.extend(h);
    out.extend_from_slice(data);
    out
}
