//! GGUF version 3 reader (llama.cpp / ggml model files).
//!
//! Written here rather than taken from a crate: the maintained Rust readers live inside whole
//! inference frameworks (candle's `quantized::gguf_file` pulls candle-core with its tensor
//! library and device backends; llama.cpp bindings pull the C++ library), and the container is
//! small enough (a header, typed key-value pairs, tensor infos, an aligned data section) that a
//! self-contained, bounds-checked reader is shorter than the glue to any of them.
//!
//! Layout (all little-endian):
//!
//! ```text
//! magic "GGUF" | version u32 = 3 | tensor_count u64 | metadata_kv_count u64
//! metadata_kv_count x { key: string, value_type: u32, value }
//! tensor_count x { name: string, n_dims: u32 (<= 4), dims: n_dims x u64, ggml_type: u32, offset: u64 }
//! padding to `general.alignment` (default 32)
//! data section: tensor i at data_start + offset_i (a multiple of the alignment)
//! ```
//!
//! Strings are a u64 byte length then UTF-8 bytes; arrays are an element type u32, a u64 count
//! and the elements (arrays of arrays are allowed; nesting is capped at
//! [`MAX_ARRAY_DEPTH`]).
//!
//! **Shapes**: GGUF lists dimensions innermost-first (`ne[0]` is the contiguous one). The
//! [`FloatTensor::shape`] returned here is reversed to outermost-first, like PyTorch: a GGUF
//! tensor with `dims = [4096, 32000]` comes back with `shape = [32000, 4096]`, row-major.
//!
//! **Tensor types**: F32, F16, BF16, F64, I8, I16, I32, I64, and the ggml blocks Q8_0, Q4_0 and
//! Q4_1, dequantized exactly as ggml's reference `dequantize_row_*` (and gguf-py's
//! `quants.dequantize`) do, in f32 without fused multiply-add:
//!
//! - Q8_0, 34-byte blocks of 32: `d: f16, q: [i8; 32]`; `x[j] = q[j] * d`.
//! - Q4_0, 18-byte blocks of 32: `d: f16, qs: [u8; 16]`; element `j < 16` is the low nibble of
//!   `qs[j]`, element `j + 16` its high nibble; `x = (nibble - 8) * d`.
//! - Q4_1, 20-byte blocks of 32: `d: f16, m: f16, qs: [u8; 16]`, nibbles as Q4_0;
//!   `x = nibble * d + m` (a rounded product, then a rounded sum).
//!
//! The block dimension is `ne[0]`, which must be a multiple of 32. Any other ggml type (K-quants,
//! IQ types, Q5, ...) is an error naming the tensor and the type.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use half::f16;
use tracing::debug;

use crate::error::{ConvertError, Result};
use crate::tensor::{
    checked_numel, decode_plain, truncate_name, Budget, DType, FloatTensor, Format, MetaValue,
    TensorMap,
};

const FORMAT: &str = "GGUF";
/// The only version read.
pub const GGUF_VERSION: u32 = 3;
/// Alignment of the data section when `general.alignment` is absent.
pub const DEFAULT_ALIGNMENT: u64 = 32;
/// Deepest accepted nesting of arrays inside a metadata value.
pub const MAX_ARRAY_DEPTH: u32 = 8;
/// ggml's `GGML_MAX_DIMS`.
pub const MAX_DIMS: u32 = 4;
/// Largest accepted `general.alignment`.
const MAX_ALIGNMENT: u64 = 1 << 20;
/// Fewest bytes one metadata pair can take: key length u64, value type u32, a u8 value.
const MIN_KV_BYTES: u64 = 8 + 4 + 1;
/// Fewest bytes one tensor info can take: name length u64, n_dims u32, type u32, offset u64.
const MIN_TENSOR_INFO_BYTES: u64 = 8 + 4 + 4 + 8;

/// The ggml tensor types this reader knows by name (for messages) and how it handles them.
fn ggml_type(id: u32) -> (&'static str, Option<DType>) {
    match id {
        0 => ("F32", Some(DType::F32)),
        1 => ("F16", Some(DType::F16)),
        2 => ("Q4_0", Some(DType::Q4_0)),
        3 => ("Q4_1", Some(DType::Q4_1)),
        6 => ("Q5_0", None),
        7 => ("Q5_1", None),
        8 => ("Q8_0", Some(DType::Q8_0)),
        9 => ("Q8_1", None),
        10 => ("Q2_K", None),
        11 => ("Q3_K", None),
        12 => ("Q4_K", None),
        13 => ("Q5_K", None),
        14 => ("Q6_K", None),
        15 => ("Q8_K", None),
        16 => ("IQ2_XXS", None),
        17 => ("IQ2_XS", None),
        18 => ("IQ3_XXS", None),
        19 => ("IQ1_S", None),
        20 => ("IQ4_NL", None),
        21 => ("IQ3_S", None),
        22 => ("IQ2_S", None),
        23 => ("IQ4_XS", None),
        24 => ("I8", Some(DType::I8)),
        25 => ("I16", Some(DType::I16)),
        26 => ("I32", Some(DType::I32)),
        27 => ("I64", Some(DType::I64)),
        28 => ("F64", Some(DType::F64)),
        29 => ("IQ1_M", None),
        30 => ("BF16", Some(DType::BF16)),
        34 => ("TQ1_0", None),
        35 => ("TQ2_0", None),
        39 => ("MXFP4", None),
        _ => ("unknown", None),
    }
}

/// (elements per block, bytes per block) of a supported tensor type.
fn block_layout(dtype: DType) -> (u64, u64) {
    match dtype {
        DType::Q8_0 => (32, 34),
        DType::Q4_0 => (32, 18),
        DType::Q4_1 => (32, 20),
        other => (1, other.element_size().unwrap_or(1) as u64),
    }
}

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn err(&self, msg: impl Into<String>) -> ConvertError {
        ConvertError::Gguf {
            offset: self.pos as u64,
            msg: msg.into(),
        }
    }

    fn remaining(&self) -> u64 {
        (self.buf.len() - self.pos) as u64
    }

    fn take(&mut self, n: u64, what: &dyn Fn() -> String) -> Result<&'a [u8]> {
        let avail = self.remaining();
        if n > avail {
            return Err(self.err(format!(
                "file truncated: {} needs {n} bytes, only {avail} left",
                what()
            )));
        }
        let n = n as usize;
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self, what: &dyn Fn() -> String) -> Result<[u8; N]> {
        let s = self.take(N as u64, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    fn u32(&mut self, what: &dyn Fn() -> String) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    fn u64(&mut self, what: &dyn Fn() -> String) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    /// A GGUF string; `strict` rejects invalid UTF-8 (names, keys), otherwise it is replaced.
    fn string(&mut self, what: &dyn Fn() -> String, strict: bool) -> Result<String> {
        let start = self.pos;
        let len = self.u64(&|| format!("length of {}", what()))?;
        let bytes = self.take(len, what)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) if !strict => Ok(String::from_utf8_lossy(bytes).into_owned()),
            Err(e) => Err(ConvertError::Gguf {
                offset: start as u64,
                msg: format!("{} is not valid UTF-8 ({e})", what()),
            }),
        }
    }
}

/// Fewest bytes one value of GGUF type `ty` can take (for bounding array counts).
fn min_value_bytes(ty: u32) -> u64 {
    match ty {
        0 | 1 | 7 => 1,
        2 | 3 => 2,
        4..=6 => 4,
        8 | 10..=12 => 8,
        9 => 12,
        _ => 1,
    }
}

fn value_type_name(ty: u32) -> &'static str {
    match ty {
        0 => "UINT8",
        1 => "INT8",
        2 => "UINT16",
        3 => "INT16",
        4 => "UINT32",
        5 => "INT32",
        6 => "FLOAT32",
        7 => "BOOL",
        8 => "STRING",
        9 => "ARRAY",
        10 => "UINT64",
        11 => "INT64",
        12 => "FLOAT64",
        _ => "unknown",
    }
}

fn read_value(
    c: &mut Cursor<'_>,
    ty: u32,
    key: &str,
    depth: u32,
    budget: &mut Budget,
) -> Result<MetaValue> {
    let what = || format!("value of metadata key '{}'", truncate_name(key));
    // Each value costs its in-memory size (strings their bytes too) against the output limit.
    budget.charge(key, std::mem::size_of::<MetaValue>() as u64)?;
    Ok(match ty {
        0 => MetaValue::U8(u8::from_le_bytes(c.array(&what)?)),
        1 => MetaValue::I8(i8::from_le_bytes(c.array(&what)?)),
        2 => MetaValue::U16(u16::from_le_bytes(c.array(&what)?)),
        3 => MetaValue::I16(i16::from_le_bytes(c.array(&what)?)),
        4 => MetaValue::U32(u32::from_le_bytes(c.array(&what)?)),
        5 => MetaValue::I32(i32::from_le_bytes(c.array(&what)?)),
        6 => MetaValue::F32(f32::from_le_bytes(c.array(&what)?)),
        7 => MetaValue::Bool(u8::from_le_bytes(c.array(&what)?) != 0),
        8 => {
            let s = c.string(&what, false)?;
            budget.charge(key, s.len() as u64)?;
            MetaValue::Str(s)
        }
        9 => {
            if depth >= MAX_ARRAY_DEPTH {
                return Err(c.err(format!(
                    "metadata key '{}': arrays nested deeper than {MAX_ARRAY_DEPTH}",
                    truncate_name(key)
                )));
            }
            let elem_ty = c.u32(&what)?;
            if value_type_name(elem_ty) == "unknown" {
                return Err(c.err(format!(
                    "metadata key '{}': unknown array element type {elem_ty}",
                    truncate_name(key)
                )));
            }
            let count = c.u64(&what)?;
            let need = count.saturating_mul(min_value_bytes(elem_ty));
            if need > c.remaining() {
                return Err(c.err(format!(
                    "metadata key '{}': array of {count} {} elements needs at least {need} bytes, \
                     only {} left",
                    truncate_name(key),
                    value_type_name(elem_ty),
                    c.remaining()
                )));
            }
            // count <= remaining bytes here, so this capacity is bounded by the file size.
            let mut items = Vec::with_capacity(count.min(1 << 16) as usize);
            for _ in 0..count {
                items.push(read_value(c, elem_ty, key, depth + 1, budget)?);
            }
            MetaValue::Array(items)
        }
        10 => MetaValue::U64(u64::from_le_bytes(c.array(&what)?)),
        11 => MetaValue::I64(i64::from_le_bytes(c.array(&what)?)),
        12 => MetaValue::F64(f64::from_le_bytes(c.array(&what)?)),
        _ => {
            return Err(c.err(format!(
                "metadata key '{}': unknown value type {ty}",
                truncate_name(key)
            )))
        }
    })
}

struct TensorInfo {
    name: String,
    dims: Vec<u64>,
    type_id: u32,
    offset: u64,
    info_offset: u64,
}

/// Reads a whole GGUF v3 file from memory.
pub fn read(bytes: &[u8]) -> Result<TensorMap> {
    let mut c = Cursor { buf: bytes, pos: 0 };
    let magic = c.array::<4>(&|| "magic".into())?;
    if &magic != b"GGUF" {
        return Err(ConvertError::Gguf {
            offset: 0,
            msg: format!("bad magic {magic:02x?}, expected \"GGUF\""),
        });
    }
    let version = c.u32(&|| "version".into())?;
    if version != GGUF_VERSION {
        let hint = if version.swap_bytes() <= 3 {
            " (a big-endian GGUF?)"
        } else if version < 3 {
            " (an older GGUF revision; re-convert with a current llama.cpp)"
        } else {
            ""
        };
        return Err(ConvertError::Gguf {
            offset: 4,
            msg: format!("unsupported GGUF version {version}{hint}; only version 3 is read"),
        });
    }
    let tensor_count = c.u64(&|| "tensor count".into())?;
    let kv_count = c.u64(&|| "metadata KV count".into())?;
    if kv_count > c.remaining() / MIN_KV_BYTES {
        return Err(c.err(format!(
            "metadata KV count {kv_count} cannot fit in the {} bytes left",
            c.remaining()
        )));
    }
    if tensor_count > c.remaining() / MIN_TENSOR_INFO_BYTES {
        return Err(c.err(format!(
            "tensor count {tensor_count} cannot fit in the {} bytes left",
            c.remaining()
        )));
    }

    let mut budget = Budget::new(FORMAT, bytes.len());
    let mut out = TensorMap::new(Format::Gguf);
    let mut kv: BTreeMap<String, MetaValue> = BTreeMap::new();
    for i in 0..kv_count {
        let key_offset = c.pos;
        let key = c.string(&|| format!("key of metadata pair {i}"), true)?;
        let ty = c.u32(&|| format!("value type of metadata key '{}'", truncate_name(&key)))?;
        let value = read_value(&mut c, ty, &key, 0, &mut budget)?;
        if kv.contains_key(&key) {
            return Err(ConvertError::Gguf {
                offset: key_offset as u64,
                msg: format!("duplicate metadata key '{}'", truncate_name(&key)),
            });
        }
        budget.charge(&key, key.len() as u64)?;
        kv.insert(key, value);
    }

    let alignment = match kv.get("general.alignment") {
        None => DEFAULT_ALIGNMENT,
        Some(v) => match v.as_u64() {
            Some(a) if a.is_power_of_two() && a <= MAX_ALIGNMENT => a,
            _ => {
                return Err(c.err(format!(
                    "general.alignment must be a power of two up to {MAX_ALIGNMENT}, got {v:?}"
                )))
            }
        },
    };

    let mut infos = Vec::with_capacity(tensor_count.min(1 << 16) as usize);
    let mut seen = BTreeSet::new();
    for i in 0..tensor_count {
        let info_offset = c.pos as u64;
        let name = c.string(&|| format!("name of tensor info {i}"), true)?;
        let tn = truncate_name(&name);
        let n_dims = c.u32(&|| format!("n_dims of tensor '{tn}'"))?;
        if n_dims > MAX_DIMS {
            return Err(c.err(format!(
                "tensor '{tn}' has n_dims = {n_dims}, more than ggml's {MAX_DIMS}"
            )));
        }
        let mut dims = Vec::with_capacity(n_dims as usize);
        for d in 0..n_dims {
            dims.push(c.u64(&|| format!("dimension {d} of tensor '{tn}'"))?);
        }
        let type_id = c.u32(&|| format!("ggml type of tensor '{tn}'"))?;
        let offset = c.u64(&|| format!("data offset of tensor '{tn}'"))?;
        if !seen.insert(name.clone()) {
            return Err(ConvertError::Gguf {
                offset: info_offset,
                msg: format!("duplicate tensor name '{tn}'"),
            });
        }
        infos.push(TensorInfo {
            name,
            dims,
            type_id,
            offset,
            info_offset,
        });
    }

    let data_start = (c.pos as u64)
        .checked_next_multiple_of(alignment)
        .ok_or_else(|| c.err("data section start overflows"))?;
    let file_len = bytes.len() as u64;

    for info in infos {
        let name = info.name;
        let err = |msg: String| ConvertError::Tensor {
            format: FORMAT,
            name: truncate_name(&name),
            msg: format!("{msg} (tensor info at byte offset {})", info.info_offset),
        };
        let (type_name, dtype) = ggml_type(info.type_id);
        let dtype = dtype.ok_or_else(|| {
            err(format!(
                "ggml type {type_name} ({}) is not supported (F32, F16, BF16, F64, I8-I64, \
                 Q8_0, Q4_0, Q4_1 are)",
                info.type_id
            ))
        })?;
        let numel = checked_numel(info.dims.iter().copied())
            .ok_or_else(|| err(format!("dims {:?} overflow", info.dims)))?;
        let (block_elems, block_bytes) = block_layout(dtype);
        let ne0 = info.dims.first().copied().unwrap_or(1);
        if ne0 % block_elems != 0 {
            return Err(err(format!(
                "{dtype} needs ne[0] (the innermost dimension, {ne0}) to be a multiple of \
                 {block_elems}"
            )));
        }
        let nbytes = (numel / block_elems)
            .checked_mul(block_bytes)
            .ok_or_else(|| err(format!("byte size of dims {:?} overflows", info.dims)))?;
        if info.offset % alignment != 0 {
            return Err(err(format!(
                "data offset {} is not a multiple of the alignment {alignment}",
                info.offset
            )));
        }
        let start = data_start.checked_add(info.offset);
        let end = start.and_then(|s| s.checked_add(nbytes));
        let (start, end) = match (start, end) {
            (Some(s), Some(e)) if e <= file_len => (s as usize, e as usize),
            _ => {
                return Err(err(format!(
                    "data at offset {} + {nbytes} bytes ({dtype}, dims {:?}) runs past the end \
                     of the file (data section starts at {data_start}, file is {file_len} bytes)",
                    info.offset, info.dims
                )))
            }
        };
        let shape = info
            .dims
            .iter()
            .rev()
            .map(|&d| usize::try_from(d))
            .collect::<std::result::Result<Vec<usize>, _>>()
            .map_err(|_| err(format!("dims {:?} do not fit in usize", info.dims)))?;
        budget.charge_tensor(&name, numel)?;
        let raw = &bytes[start..end];
        let data = match dtype {
            DType::Q8_0 => dequantize_q8_0(raw),
            DType::Q4_0 => dequantize_q4_0(raw),
            DType::Q4_1 => dequantize_q4_1(raw),
            plain => decode_plain(plain, raw),
        };
        debug!(tensor = %name, %dtype, ?shape, "GGUF tensor");
        out.tensors.insert(
            name,
            FloatTensor {
                shape,
                data,
                source_dtype: dtype,
            },
        );
    }
    out.metadata.kv = kv;
    Ok(out)
}

fn f16_at(b: &[u8], i: usize) -> f32 {
    match b.get(i..i + 2) {
        Some(&[lo, hi]) => f16::from_le_bytes([lo, hi]).to_f32(),
        _ => f32::NAN,
    }
}

/// Q8_0: `x[j] = q[j] * d` per 34-byte block (`d: f16`, `q: [i8; 32]`).
pub fn dequantize_q8_0(raw: &[u8]) -> Vec<f32> {
    let mut out = Vec::with_capacity(raw.len() / 34 * 32);
    for block in raw.chunks_exact(34) {
        let d = f16_at(block, 0);
        out.extend(block[2..].iter().map(|&q| f32::from(q as i8) * d));
    }
    out
}

/// Q4_0: `x = (nibble - 8) * d` per 18-byte block; low nibbles are elements 0..16, high 16..32.
pub fn dequantize_q4_0(raw: &[u8]) -> Vec<f32> {
    let mut out = Vec::with_capacity(raw.len() / 18 * 32);
    for block in raw.chunks_exact(18) {
        let d = f16_at(block, 0);
        let qs = &block[2..];
        out.extend(qs.iter().map(|&q| f32::from((q & 0x0f) as i8 - 8) * d));
        out.extend(qs.iter().map(|&q| f32::from((q >> 4) as i8 - 8) * d));
    }
    out
}

/// Q4_1: `x = nibble * d + m` per 20-byte block; low nibbles are elements 0..16, high 16..32.
pub fn dequantize_q4_1(raw: &[u8]) -> Vec<f32> {
    let mut out = Vec::with_capacity(raw.len() / 20 * 32);
    for block in raw.chunks_exact(20) {
        let d = f16_at(block, 0);
        let m = f16_at(block, 2);
        let qs = &block[4..];
        out.extend(qs.iter().map(|&q| f32::from(q & 0x0f) * d + m));
        out.extend(qs.iter().map(|&q| f32::from(q >> 4) * d + m));
    }
    out
}
