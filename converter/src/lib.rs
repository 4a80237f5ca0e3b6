//! opml-converter: safe readers for the weight files model authors start from.
//!
//! Reads PyTorch checkpoints (zip and legacy), safetensors and GGUF v3 into one common type,
//! [`TensorMap`]: named [`FloatTensor`]s (f32 data, row-major, shape outermost-first, source
//! dtype recorded) plus [`Metadata`] (GGUF key-values, safetensors `__metadata__`, the
//! non-tensor leaves of a checkpoint, and the Hugging Face `config.json` beside the file).
//!
//! # Safety rules (every reader, on any input)
//!
//! - **No code execution.** PyTorch pickles go through a restricted unpickler ([`torch` module
//!   docs](crate::torch)) that accepts a fixed list of opcodes and globals; any other
//!   global (e.g. `builtins.eval`) is an error naming it.
//! - **Bounds-checked.** Every length, count, offset, dimension and stride is checked (with
//!   overflow-checked arithmetic) against the bytes actually present before it is used.
//! - **Allocation bounded by the input.** Counts are checked against the remaining bytes before
//!   anything is reserved, and the whole output is capped at [`MAX_EXPANSION`] times the input
//!   size, so a header claiming 2^60 elements errors instead of allocating.
//! - **Clear errors, no panics.** Failures are [`ConvertError`]s naming the tensor, byte offset,
//!   metadata key or pickle global at fault. No `unsafe` (the crate denies it).
//!
//! # Entry points
//!
//! - [`read_file`]: detect the format from the first bytes, read, and attach `config.json`.
//! - [`read_bytes`] / [`read_bytes_as`]: the same from memory.
//! - Per format: [`safetensors::read`], [`gguf::read`], [`torch::read_zip`],
//!   [`torch::read_legacy`].
//!
//! ```
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/gguf/tiny.gguf");
//! let map = opml_converter::read_file(path)?;
//! let q = &map.tensors["q4_0"];
//! assert_eq!(q.shape, [3, 32]); // outermost-first, whatever the format
//! assert_eq!(q.source_dtype, opml_converter::DType::Q4_0);
//! assert_eq!(q.data.len(), 96);
//! # Ok::<(), opml_converter::ConvertError>(())
//! ```

use std::path::Path;

use tracing::{debug, info};

pub mod arch;
pub mod bert;
pub mod classifier;
pub mod error;
pub mod float;
pub mod gguf;
mod pickle;
pub mod safetensors;
pub mod samples;
pub mod tensor;
pub mod torch;

pub use error::{BuildError, ConvertError, Result};
pub use tensor::{DType, FloatTensor, Format, MetaValue, Metadata, TensorMap, MAX_EXPANSION};

/// Largest `config.json` read.
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// Recognizes the container from its first bytes.
///
/// GGUF: `GGUF`; PyTorch zip: a zip local-file or end-of-directory signature; PyTorch legacy:
/// a pickle `PROTO` (2 to 5) whose first object is the magic number 0x1950a86a20f9469cfc6c;
/// safetensors: a little-endian u64 header length followed by `{`.
pub fn detect_format(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"GGUF") {
        return Some(Format::Gguf);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(Format::TorchZip);
    }
    // PROTO n, then LONG1 of 10 bytes holding the legacy magic number.
    if let [0x80, 2..=5, 0x8a, 10, magic @ ..] = bytes {
        if magic.starts_with(&torch::LEGACY_MAGIC.to_le_bytes()[..10]) {
            return Some(Format::TorchLegacy);
        }
    }
    if bytes.len() >= 9 && bytes[8] == b'{' {
        return Some(Format::Safetensors);
    }
    None
}

/// Reads `bytes` as `format`.
pub fn read_bytes_as(bytes: &[u8], format: Format) -> Result<TensorMap> {
    match format {
        Format::Safetensors => safetensors::read(bytes),
        Format::Gguf => gguf::read(bytes),
        Format::TorchZip => torch::read_zip(bytes),
        Format::TorchLegacy => torch::read_legacy(bytes),
    }
}

/// Detects the format of `bytes` and reads them.
pub fn read_bytes(bytes: &[u8]) -> Result<TensorMap> {
    let format = detect_format(bytes).ok_or_else(|| ConvertError::UnknownFormat {
        what: "<bytes>".into(),
    })?;
    read_bytes_as(bytes, format)
}

/// Reads a weight file, detecting its format, and attaches the `config.json` that sits in the
/// same directory, if there is one.
pub fn read_file(path: impl AsRef<Path>) -> Result<TensorMap> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| ConvertError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let format = detect_format(&bytes).ok_or_else(|| ConvertError::UnknownFormat {
        what: path.display().to_string(),
    })?;
    info!(path = %path.display(), %format, bytes = bytes.len(), "reading weights");
    let mut map = read_bytes_as(&bytes, format)?;
    map.metadata.config = read_config_beside(path)?;
    info!(
        tensors = map.tensors.len(),
        metadata = map.metadata.kv.len(),
        config = map.metadata.config.is_some(),
        "read weights"
    );
    Ok(map)
}

/// Reads `config.json` from the directory of `weights`, if it exists.
pub fn read_config_beside(weights: &Path) -> Result<Option<serde_json::Value>> {
    let dir = match weights.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let path = dir.join("config.json");
    if !path.is_file() {
        return Ok(None);
    }
    let io_err = |source| ConvertError::Io {
        path: path.clone(),
        source,
    };
    let len = std::fs::metadata(&path).map_err(io_err)?.len();
    if len > MAX_CONFIG_BYTES {
        return Err(ConvertError::Config {
            path,
            msg: format!("{len} bytes, more than the {MAX_CONFIG_BYTES} accepted"),
        });
    }
    let bytes = std::fs::read(&path).map_err(io_err)?;
    let value = serde_json::from_slice(&bytes).map_err(|e| ConvertError::Config {
        path: path.clone(),
        msg: e.to_string(),
    })?;
    debug!(path = %path.display(), "read config.json");
    Ok(Some(value))
}
