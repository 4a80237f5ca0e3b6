//! safetensors reader, on top of the maintained `safetensors` crate.
//!
//! The crate validates the header (size limit, JSON, contiguous non-overlapping offsets that
//! cover the data section, byte length = element count x dtype size, overflow-checked); on top
//! of it this module converts F32/F16/BF16/F64 and the integer/bool dtypes to f32, keeps the
//! `__metadata__` strings, and when the crate rejects a header, re-reads the JSON to name the
//! tensor at fault.

use ::safetensors::tensor::{Dtype, SafeTensors};
use tracing::debug;

use crate::error::{ConvertError, Result};
use crate::tensor::{
    decode_plain, truncate_name, Budget, DType, FloatTensor, Format, MetaValue, TensorMap,
};

const FORMAT: &str = "safetensors";

fn map_dtype(d: Dtype) -> Option<DType> {
    Some(match d {
        Dtype::F64 => DType::F64,
        Dtype::F32 => DType::F32,
        Dtype::F16 => DType::F16,
        Dtype::BF16 => DType::BF16,
        Dtype::I64 => DType::I64,
        Dtype::I32 => DType::I32,
        Dtype::I16 => DType::I16,
        Dtype::I8 => DType::I8,
        Dtype::U64 => DType::U64,
        Dtype::U32 => DType::U32,
        Dtype::U16 => DType::U16,
        Dtype::U8 => DType::U8,
        Dtype::BOOL => DType::Bool,
        _ => return None,
    })
}

/// Reads a whole safetensors file from memory.
pub fn read(bytes: &[u8]) -> Result<TensorMap> {
    let (header_len, meta) = SafeTensors::read_metadata(bytes).map_err(|e| {
        let mut msg = e.to_string();
        if let Some(detail) = diagnose(bytes) {
            msg.push_str(": ");
            msg.push_str(&detail);
        }
        ConvertError::Safetensors { msg }
    })?;
    let data_start = 8usize.saturating_add(header_len);
    let data = bytes.get(data_start..).unwrap_or(&[]);
    let mut budget = Budget::new(FORMAT, bytes.len());
    let mut out = TensorMap::new(Format::Safetensors);

    if let Some(kv) = meta.metadata() {
        for (k, v) in kv {
            budget.charge(k, (k.len() + v.len()) as u64)?;
            out.metadata.kv.insert(k.clone(), MetaValue::Str(v.clone()));
        }
    }

    let mut infos: Vec<_> = meta.tensors().into_iter().collect();
    infos.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, info) in infos {
        let err = |msg: String| ConvertError::Tensor {
            format: FORMAT,
            name: truncate_name(&name),
            msg,
        };
        let dtype = map_dtype(info.dtype)
            .ok_or_else(|| err(format!("dtype {} is not supported", info.dtype)))?;
        let (s, e) = info.data_offsets;
        let raw = data.get(s..e).ok_or_else(|| {
            err(format!(
                "data_offsets [{s}, {e}] outside the {}-byte data section",
                data.len()
            ))
        })?;
        let numel = crate::tensor::checked_numel(info.shape.iter().map(|&d| d as u64))
            .ok_or_else(|| err(format!("shape {:?} overflows", info.shape)))?;
        let size = dtype.element_size().unwrap_or(1) as u64;
        if numel.checked_mul(size) != Some(raw.len() as u64) {
            return Err(err(format!(
                "shape {:?} of {dtype} needs {} bytes, data_offsets give {}",
                info.shape,
                numel.saturating_mul(size),
                raw.len()
            )));
        }
        budget.charge_tensor(&name, numel)?;
        debug!(tensor = %name, %dtype, shape = ?info.shape, "safetensors tensor");
        let tensor = FloatTensor {
            shape: info.shape.clone(),
            data: decode_plain(dtype, raw),
            source_dtype: dtype,
        };
        out.tensors.insert(name, tensor);
    }
    Ok(out)
}

/// After the crate rejected the file: find the first tensor whose header entry is at fault,
/// so the error names it. Best effort; `None` when nothing specific is found.
fn diagnose(bytes: &[u8]) -> Option<String> {
    let n = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?);
    let header_end = 8usize.checked_add(usize::try_from(n).ok()?)?;
    let header = bytes.get(8..header_end)?;
    let json: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(header).ok()?;
    let data_len = (bytes.len() - header_end) as u64;
    let mut entries: Vec<(String, u64, u64)> = Vec::new();
    for (full_name, v) in &json {
        if full_name == "__metadata__" {
            continue;
        }
        let name = truncate_name(full_name);
        let offs = v.get("data_offsets")?.as_array()?;
        let (s, e) = (offs.first()?.as_u64()?, offs.get(1)?.as_u64()?);
        if e < s {
            return Some(format!(
                "tensor '{name}' has data_offsets [{s}, {e}] (end before start)"
            ));
        }
        if e > data_len {
            return Some(format!(
                "tensor '{name}' has data_offsets [{s}, {e}] past the end of the \
                 {data_len}-byte data section"
            ));
        }
        if let Some(bits) = v.get("dtype").and_then(|d| d.as_str()).and_then(dtype_bits) {
            let numel = v
                .get("shape")?
                .as_array()?
                .iter()
                .try_fold(1u64, |acc, d| acc.checked_mul(d.as_u64()?));
            let want = numel
                .and_then(|n| n.checked_mul(bits))
                .map(|b| b.div_ceil(8));
            if want != Some(e - s) {
                return Some(format!(
                    "tensor '{name}' has shape {} of {} ({}) but data_offsets [{s}, {e}] span \
                     {} bytes",
                    v["shape"],
                    v["dtype"],
                    want.map_or("an overflowing size".to_string(), |b| format!("{b} bytes")),
                    e - s
                ));
            }
        }
        entries.push((name, s, e));
    }
    entries.sort_by_key(|&(_, s, e)| (s, e));
    let mut expected = 0u64;
    for (name, s, e) in &entries {
        let (s, e) = (*s, *e);
        if s != expected {
            return Some(format!(
                "tensor '{name}' has data_offsets [{s}, {e}] but the previous tensor ends at \
                 {expected} (offsets must be contiguous and not overlap)"
            ));
        }
        expected = e;
    }
    if expected != data_len {
        return Some(format!(
            "tensors cover {expected} bytes of the {data_len}-byte data section"
        ));
    }
    None
}

/// Bits per element of a safetensors dtype name (for diagnostics only).
fn dtype_bits(name: &str) -> Option<u64> {
    Some(match name {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" | "F8_E4M3FNUZ"
        | "F8_E5M2FNUZ" => 8,
        "I16" | "U16" | "F16" | "BF16" => 16,
        "I32" | "U32" | "F32" => 32,
        "I64" | "U64" | "F64" | "C64" => 64,
        "F4" => 4,
        "F6_E2M3" | "F6_E3M2" => 6,
        _ => return None,
    })
}
