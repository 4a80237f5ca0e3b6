//! The common output of every reader: named f32 tensors plus key-value metadata.

use std::collections::BTreeMap;
use std::fmt;

use half::{bf16, f16};

use crate::error::{ConvertError, Result};

/// The output of a reader may be at most this many times larger than its input, counting the
/// f32 data of every tensor plus the bytes of every tensor and metadata name.
///
/// Honest files stay far below it (4x for int8 data, about 7x for Q4 blocks, 8x for int8
/// tensors that share storage); a hostile file that makes many tensors out of one storage, or a
/// GGUF whose tensors all point at the same bytes, hits it and errors before allocating.
pub const MAX_EXPANSION: u64 = 16;

/// The element type a tensor had in its file, before conversion to f32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DType {
    /// IEEE binary64; rounded to nearest f32.
    F64,
    /// IEEE binary32; copied bit for bit.
    F32,
    /// IEEE binary16; exact in f32.
    F16,
    /// bfloat16; exact in f32.
    BF16,
    /// Signed 64-bit integer; rounded to nearest f32 (exact up to 2^24).
    I64,
    /// Signed 32-bit integer; rounded to nearest f32 (exact up to 2^24).
    I32,
    /// Signed 16-bit integer; exact.
    I16,
    /// Signed 8-bit integer; exact.
    I8,
    /// Unsigned 64-bit integer; rounded to nearest f32.
    U64,
    /// Unsigned 32-bit integer; rounded to nearest f32.
    U32,
    /// Unsigned 16-bit integer; exact.
    U16,
    /// Unsigned 8-bit integer; exact.
    U8,
    /// Boolean byte; any nonzero byte reads as 1.0.
    Bool,
    /// ggml Q8_0: blocks of 32, an f16 scale `d` then 32 i8 `q`; `x = q * d`.
    Q8_0,
    /// ggml Q4_0: blocks of 32, f16 `d` then 16 bytes of nibbles; `x = (q - 8) * d`.
    Q4_0,
    /// ggml Q4_1: blocks of 32, f16 `d`, f16 `m`, 16 bytes of nibbles; `x = q * d + m`.
    Q4_1,
}

impl DType {
    /// Short upper-case name, as the file formats spell it.
    pub fn name(self) -> &'static str {
        match self {
            DType::F64 => "F64",
            DType::F32 => "F32",
            DType::F16 => "F16",
            DType::BF16 => "BF16",
            DType::I64 => "I64",
            DType::I32 => "I32",
            DType::I16 => "I16",
            DType::I8 => "I8",
            DType::U64 => "U64",
            DType::U32 => "U32",
            DType::U16 => "U16",
            DType::U8 => "U8",
            DType::Bool => "BOOL",
            DType::Q8_0 => "Q8_0",
            DType::Q4_0 => "Q4_0",
            DType::Q4_1 => "Q4_1",
        }
    }

    /// Bytes per element for the plain (non-block) types; `None` for the ggml block types.
    pub fn element_size(self) -> Option<usize> {
        match self {
            DType::F64 | DType::I64 | DType::U64 => Some(8),
            DType::F32 | DType::I32 | DType::U32 => Some(4),
            DType::F16 | DType::BF16 | DType::I16 | DType::U16 => Some(2),
            DType::I8 | DType::U8 | DType::Bool => Some(1),
            DType::Q8_0 | DType::Q4_0 | DType::Q4_1 => None,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One tensor, converted to f32, shape outermost-first (row-major, like PyTorch).
#[derive(Debug, Clone, PartialEq)]
pub struct FloatTensor {
    /// Dimensions, outermost first; `data` is row-major (the last dimension is contiguous).
    pub shape: Vec<usize>,
    /// The elements; `data.len()` is the product of `shape`.
    pub data: Vec<f32>,
    /// The element type in the source file.
    pub source_dtype: DType,
}

impl FloatTensor {
    /// Number of elements.
    pub fn numel(&self) -> usize {
        self.data.len()
    }
}

/// Which container a [`TensorMap`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Hugging Face safetensors.
    Safetensors,
    /// GGUF version 3 (llama.cpp / ggml).
    Gguf,
    /// PyTorch `torch.save` zip archive (the default since PyTorch 1.6).
    TorchZip,
    /// PyTorch legacy (pre-1.6, `_use_new_zipfile_serialization=False`) pickle stream.
    TorchLegacy,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Safetensors => "safetensors",
            Format::Gguf => "GGUF",
            Format::TorchZip => "PyTorch zip",
            Format::TorchLegacy => "PyTorch legacy",
        })
    }
}

/// One metadata value. GGUF values keep their exact type; safetensors `__metadata__` values are
/// strings; non-tensor leaves of a PyTorch checkpoint become `Bool`, `I64`, `F64`, `Str` or
/// `Array`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MetaValue {
    /// GGUF UINT8.
    U8(u8),
    /// GGUF INT8.
    I8(i8),
    /// GGUF UINT16.
    U16(u16),
    /// GGUF INT16.
    I16(i16),
    /// GGUF UINT32.
    U32(u32),
    /// GGUF INT32.
    I32(i32),
    /// GGUF UINT64.
    U64(u64),
    /// GGUF INT64, or a Python int.
    I64(i64),
    /// GGUF FLOAT32.
    F32(f32),
    /// GGUF FLOAT64, or a Python float.
    F64(f64),
    /// GGUF BOOL, or a Python bool.
    Bool(bool),
    /// GGUF STRING, safetensors metadata value, or a Python str.
    Str(String),
    /// GGUF ARRAY (possibly nested), or a Python list / tuple of scalars.
    Array(Vec<MetaValue>),
}

impl MetaValue {
    /// The value as a string slice, if it is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            MetaValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as u64, if it is a non-negative integer of any width.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            MetaValue::U8(v) => Some(v.into()),
            MetaValue::U16(v) => Some(v.into()),
            MetaValue::U32(v) => Some(v.into()),
            MetaValue::U64(v) => Some(v),
            MetaValue::I8(v) => u64::try_from(v).ok(),
            MetaValue::I16(v) => u64::try_from(v).ok(),
            MetaValue::I32(v) => u64::try_from(v).ok(),
            MetaValue::I64(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }
}

/// Everything that is not a tensor.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    /// The container the tensors came from.
    pub format: Format,
    /// GGUF key-value pairs, safetensors `__metadata__`, or the non-tensor leaves of a PyTorch
    /// checkpoint (dotted names, like the tensors).
    pub kv: BTreeMap<String, MetaValue>,
    /// The Hugging Face `config.json` from the same directory, when reading a path and it exists.
    pub config: Option<serde_json::Value>,
}

impl Metadata {
    /// Empty metadata for `format`.
    pub fn new(format: Format) -> Self {
        Metadata {
            format,
            kv: BTreeMap::new(),
            config: None,
        }
    }
}

/// All tensors of one file, by name, plus its metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorMap {
    /// Tensors by name (sorted). PyTorch names are dotted paths through nested dicts.
    pub tensors: BTreeMap<String, FloatTensor>,
    /// Key-value metadata and the optional `config.json`.
    pub metadata: Metadata,
}

impl TensorMap {
    /// An empty map for `format`.
    pub fn new(format: Format) -> Self {
        TensorMap {
            tensors: BTreeMap::new(),
            metadata: Metadata::new(format),
        }
    }
}

/// Output-size accounting: see [`MAX_EXPANSION`].
#[derive(Debug)]
pub(crate) struct Budget {
    format: &'static str,
    input_len: u64,
    limit: u64,
    used: u64,
}

impl Budget {
    pub(crate) fn new(format: &'static str, input_len: usize) -> Self {
        let input_len = input_len as u64;
        Budget {
            format,
            input_len,
            limit: input_len.saturating_mul(MAX_EXPANSION),
            used: 0,
        }
    }

    /// Charges `bytes` for the item `name`, or errors if that would pass the limit.
    pub(crate) fn charge(&mut self, name: &str, bytes: u64) -> Result<()> {
        match self.used.checked_add(bytes) {
            Some(total) if total <= self.limit => {
                self.used = total;
                Ok(())
            }
            _ => Err(ConvertError::TooLarge {
                format: self.format,
                name: truncate_name(name),
                limit: self.limit,
                input_len: self.input_len,
            }),
        }
    }

    /// Charges a tensor of `numel` f32 elements plus its name.
    pub(crate) fn charge_tensor(&mut self, name: &str, numel: u64) -> Result<()> {
        let bytes = numel
            .checked_mul(4)
            .and_then(|b| b.checked_add(name.len() as u64))
            .unwrap_or(u64::MAX);
        self.charge(name, bytes)
    }
}

/// Names in error messages are cut to a readable length (a hostile name can be megabytes).
pub(crate) fn truncate_name(name: &str) -> String {
    const MAX: usize = 200;
    if name.len() <= MAX {
        return name.to_string();
    }
    let mut end = MAX;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...({} bytes)", &name[..end], name.len())
}

fn arr<const N: usize>(c: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    // Callers pass chunks of exactly N bytes (chunks_exact); a short chunk would read as zeros.
    let n = c.len().min(N);
    a[..n].copy_from_slice(&c[..n]);
    a
}

/// Converts one little-endian element of a plain dtype to f32. `None` for block types.
pub(crate) fn scalar_to_f32(dtype: DType, b: &[u8]) -> Option<f32> {
    Some(match dtype {
        DType::F64 => f64::from_le_bytes(arr(b)) as f32,
        DType::F32 => f32::from_le_bytes(arr(b)),
        DType::F16 => f16::from_le_bytes(arr(b)).to_f32(),
        DType::BF16 => bf16::from_le_bytes(arr(b)).to_f32(),
        DType::I64 => i64::from_le_bytes(arr(b)) as f32,
        DType::I32 => i32::from_le_bytes(arr(b)) as f32,
        DType::I16 => f32::from(i16::from_le_bytes(arr(b))),
        DType::I8 => f32::from(i8::from_le_bytes(arr(b))),
        DType::U64 => u64::from_le_bytes(arr(b)) as f32,
        DType::U32 => u32::from_le_bytes(arr(b)) as f32,
        DType::U16 => f32::from(u16::from_le_bytes(arr(b))),
        DType::U8 => f32::from(b.first().copied().unwrap_or(0)),
        DType::Bool => {
            if b.first().copied().unwrap_or(0) != 0 {
                1.0
            } else {
                0.0
            }
        }
        DType::Q8_0 | DType::Q4_0 | DType::Q4_1 => return None,
    })
}

/// Converts a contiguous little-endian run of a plain dtype to f32 (a trailing partial element
/// is ignored; callers check lengths first). Empty for block types.
pub(crate) fn decode_plain(dtype: DType, bytes: &[u8]) -> Vec<f32> {
    let Some(size) = dtype.element_size() else {
        return Vec::new();
    };
    bytes
        .chunks_exact(size)
        .map(|c| scalar_to_f32(dtype, c).unwrap_or(f32::NAN))
        .collect()
}

/// Product of `dims` as u64, `None` on overflow.
pub(crate) fn checked_numel<I: IntoIterator<Item = u64>>(dims: I) -> Option<u64> {
    dims.into_iter().try_fold(1u64, |acc, d| acc.checked_mul(d))
}
