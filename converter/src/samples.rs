//! Sample inputs for calibration and accuracy reports: `.npy` arrays and JSON files.
//!
//! - `.npy` (NumPy format versions 1–3): a C-order array `[N, ...]` of little-endian `f4`, `f8`,
//!   `f2`, `i1`, `u1`, `i2`, `u2`, `i4`, `u4`, `i8`, `u8` or `b1`; sample `i` is `a[i]`
//!   flattened. No labels.
//! - `.json`: an array of samples, or `{"inputs": [...], "labels": [...]}` with one
//!   non-negative integer label per sample. A sample is a number array of any nesting,
//!   flattened row-major.
//!
//! A sample's element count must equal the model input's (its own shape is not checked
//! further, so `[64]` samples feed a `[1, 1, 8, 8]` input). Values must be finite.

use std::path::Path;

use crate::error::BuildError;

/// Inputs (flattened, f32) and optional labels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Samples {
    /// One flattened input per sample.
    pub inputs: Vec<Vec<f32>>,
    /// One class index per sample, when the file has them.
    pub labels: Option<Vec<usize>>,
}

impl Samples {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Checks that every sample has `elements` values.
    pub fn check_len(&self, what: &str, elements: usize) -> Result<(), BuildError> {
        if let Some((i, s)) = self
            .inputs
            .iter()
            .enumerate()
            .find(|(_, s)| s.len() != elements)
        {
            return Err(err(
                what,
                format!(
                    "sample {i} has {} values, the model input has {elements}",
                    s.len()
                ),
            ));
        }
        Ok(())
    }
}

fn err(what: &str, msg: impl Into<String>) -> BuildError {
    BuildError::Samples {
        what: what.to_string(),
        msg: msg.into(),
    }
}

/// Reads a `.npy` or `.json` sample file (by extension).
pub fn read(path: impl AsRef<Path>) -> Result<Samples, BuildError> {
    let path = path.as_ref();
    let what = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| err(&what, e.to_string()))?;
    match path.extension().and_then(|e| e.to_str()) {
        Some("npy") => parse_npy(&bytes, &what),
        Some("json") => parse_json(&bytes, &what),
        _ => Err(err(&what, "expected a .npy or .json file")),
    }
}

/// Parses a JSON sample file (format in the module docs).
pub fn parse_json(bytes: &[u8], what: &str) -> Result<Samples, BuildError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| err(what, format!("invalid JSON: {e}")))?;
    let (inputs, labels) = match value {
        serde_json::Value::Array(a) => (a, None),
        serde_json::Value::Object(mut o) => {
            if let Some(k) = o.keys().find(|k| *k != "inputs" && *k != "labels") {
                return Err(err(
                    what,
                    format!("unknown key \"{k}\" (expected \"inputs\" and optional \"labels\")"),
                ));
            }
            let inputs = match o.remove("inputs") {
                Some(serde_json::Value::Array(a)) => a,
                _ => return Err(err(what, "\"inputs\" must be an array of samples")),
            };
            (inputs, o.remove("labels"))
        }
        _ => {
            return Err(err(
                what,
                "expected an array of samples or {\"inputs\": [...], \"labels\": [...]}",
            ))
        }
    };
    let mut out = Samples::default();
    for (i, s) in inputs.iter().enumerate() {
        let mut flat = Vec::new();
        flatten_json(s, &mut flat, 0).map_err(|m| err(what, format!("sample {i}: {m}")))?;
        out.inputs.push(flat);
    }
    if let Some(labels) = labels {
        let arr = labels
            .as_array()
            .ok_or_else(|| err(what, "\"labels\" must be an array of class indices"))?;
        if arr.len() != out.inputs.len() {
            return Err(err(
                what,
                format!("{} labels for {} samples", arr.len(), out.inputs.len()),
            ));
        }
        let labels = arr
            .iter()
            .enumerate()
            .map(|(i, l)| {
                l.as_u64()
                    .and_then(|v| usize::try_from(v).ok())
                    .ok_or_else(|| {
                        err(
                            what,
                            format!("label {i} ({l}) is not a non-negative integer"),
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.labels = Some(labels);
    }
    if out.inputs.is_empty() {
        return Err(err(what, "no samples"));
    }
    Ok(out)
}

fn flatten_json(v: &serde_json::Value, out: &mut Vec<f32>, depth: usize) -> Result<(), String> {
    match v {
        serde_json::Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN) as f32;
            if !x.is_finite() {
                return Err(format!("value {n} is not a finite f32"));
            }
            out.push(x);
            Ok(())
        }
        serde_json::Value::Array(a) if depth < 8 => {
            a.iter().try_for_each(|x| flatten_json(x, out, depth + 1))
        }
        serde_json::Value::Array(_) => Err("arrays nest deeper than 8 levels".into()),
        other => Err(format!("expected numbers, found {other}")),
    }
}

/// Element types of `.npy` files.
#[derive(Debug, Clone, Copy)]
enum NpyType {
    F2,
    F4,
    F8,
    I1,
    U1,
    I2,
    U2,
    I4,
    U4,
    I8,
    U8,
    B1,
}

impl NpyType {
    fn parse(descr: &str) -> Option<Self> {
        Some(match descr {
            "<f2" => Self::F2,
            "<f4" => Self::F4,
            "<f8" => Self::F8,
            "|i1" | "<i1" => Self::I1,
            "|u1" | "<u1" => Self::U1,
            "<i2" => Self::I2,
            "<u2" => Self::U2,
            "<i4" => Self::I4,
            "<u4" => Self::U4,
            "<i8" => Self::I8,
            "<u8" => Self::U8,
            "|b1" => Self::B1,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Self::I1 | Self::U1 | Self::B1 => 1,
            Self::F2 | Self::I2 | Self::U2 => 2,
            Self::F4 | Self::I4 | Self::U4 => 4,
            Self::F8 | Self::I8 | Self::U8 => 8,
        }
    }

    fn read(self, b: &[u8]) -> f32 {
        let a = |n: usize| -> [u8; 8] {
            let mut x = [0u8; 8];
            x[..n].copy_from_slice(&b[..n]);
            x
        };
        match self {
            Self::F2 => half::f16::from_le_bytes([b[0], b[1]]).to_f32(),
            Self::F4 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            Self::F8 => f64::from_le_bytes(a(8)) as f32,
            Self::I1 => b[0] as i8 as f32,
            Self::U1 => b[0] as f32,
            Self::B1 => (b[0] != 0) as u8 as f32,
            Self::I2 => i16::from_le_bytes([b[0], b[1]]) as f32,
            Self::U2 => u16::from_le_bytes([b[0], b[1]]) as f32,
            Self::I4 => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32,
            Self::U4 => u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32,
            Self::I8 => i64::from_le_bytes(a(8)) as f32,
            Self::U8 => u64::from_le_bytes(a(8)) as f32,
        }
    }
}

/// The value of `'key': ...` in an npy header dict (up to the next top-level comma or brace).
fn header_field<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let at = header.find(&format!("'{key}'"))? + key.len() + 2;
    let rest = header[at..].trim_start().strip_prefix(':')?.trim_start();
    let end = if rest.starts_with('(') {
        rest.find(')')? + 1
    } else {
        rest.find([',', '}']).unwrap_or(rest.len())
    };
    Some(rest[..end].trim())
}

/// Parses a `.npy` array `[N, ...]` into N flattened samples.
pub fn parse_npy(bytes: &[u8], what: &str) -> Result<Samples, BuildError> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(err(what, "not a .npy file (bad magic)"));
    }
    let major = bytes[6];
    let (header_len, start) = match major {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10usize),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        _ => return Err(err(what, format!("unsupported .npy version {major}"))),
    };
    let data_start = start
        .checked_add(header_len)
        .filter(|&e| e <= bytes.len())
        .ok_or_else(|| err(what, "truncated .npy header"))?;
    let header = std::str::from_utf8(&bytes[start..data_start])
        .map_err(|_| err(what, ".npy header is not text"))?;
    let descr = header_field(header, "descr")
        .ok_or_else(|| err(what, ".npy header has no 'descr'"))?
        .trim_matches(['\'', '"']);
    let ty = NpyType::parse(descr).ok_or_else(|| {
        err(
            what,
            format!(
                "element type '{descr}' is not supported (little-endian float, int, uint or bool)"
            ),
        )
    })?;
    match header_field(header, "fortran_order") {
        Some("False") => {}
        Some("True") => return Err(err(what, "Fortran-order arrays are not supported")),
        _ => return Err(err(what, ".npy header has no valid 'fortran_order'")),
    }
    let shape_text =
        header_field(header, "shape").ok_or_else(|| err(what, ".npy header has no 'shape'"))?;
    let shape = shape_text
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| err(what, format!("bad .npy shape {shape_text}")))?;
    if shape.len() < 2 {
        return Err(err(
            what,
            format!("array shape {shape:?}: expected [samples, ...] (rank ≥ 2)"),
        ));
    }
    let per_sample = shape[1..]
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .ok_or_else(|| err(what, "shape overflows"))?;
    let total = per_sample
        .checked_mul(shape[0])
        .and_then(|n| n.checked_mul(ty.size()))
        .ok_or_else(|| err(what, "shape overflows"))?;
    let data = &bytes[data_start..];
    if data.len() != total {
        return Err(err(
            what,
            format!(
                "array {shape:?} of '{descr}' needs {total} data bytes, the file has {}{}",
                data.len(),
                if data.len() < total {
                    " (truncated)"
                } else {
                    ""
                }
            ),
        ));
    }
    let mut out = Samples::default();
    let step = per_sample * ty.size();
    for (i, chunk) in data.chunks_exact(step.max(1)).take(shape[0]).enumerate() {
        let s: Vec<f32> = chunk.chunks_exact(ty.size()).map(|b| ty.read(b)).collect();
        if let Some(j) = s.iter().position(|v| !v.is_finite()) {
            return Err(err(what, format!("sample {i}: value {j} is not finite")));
        }
        out.inputs.push(s);
    }
    if out.inputs.is_empty() {
        return Err(err(what, "no samples"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(descr: &str, shape: &str, data: &[u8]) -> Vec<u8> {
        let mut h = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
        while (10 + h.len() + 1) % 64 != 0 {
            h.push(' ');
        }
        h.push('\n');
        let mut b = b"\x93NUMPY\x01\x00".to_vec();
        b.extend((h.len() as u16).to_le_bytes());
        b.extend(h.as_bytes());
        b.extend(data);
        b
    }

    #[test]
    fn npy_types_and_errors() {
        let f: Vec<u8> = [1.5f32, -2.0, 3.0, 4.25]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let s = parse_npy(&npy("<f4", "(2, 2)", &f), "x").unwrap();
        assert_eq!(s.inputs, vec![vec![1.5, -2.0], vec![3.0, 4.25]]);
        let s = parse_npy(&npy("|u1", "(1, 2, 2)", &[0, 16, 255, 7]), "x").unwrap();
        assert_eq!(s.inputs, vec![vec![0.0, 16.0, 255.0, 7.0]]);
        let e = parse_npy(&npy("<f4", "(2, 2)", &f[..12]), "x").unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        let e = parse_npy(&npy("<c8", "(2, 2)", &f), "x").unwrap_err();
        assert!(e.to_string().contains("'<c8' is not supported"), "{e}");
        let e = parse_npy(&npy(">f4", "(2, 2)", &f), "x").unwrap_err();
        assert!(e.to_string().contains("'>f4'"), "{e}");
        let e = parse_npy(&npy("<f4", "(4,)", &f), "x").unwrap_err();
        assert!(e.to_string().contains("rank ≥ 2"), "{e}");
        let nan: Vec<u8> = [1.0f32, f32::NAN]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let e = parse_npy(&npy("<f4", "(1, 2)", &nan), "x").unwrap_err();
        assert!(e.to_string().contains("not finite"), "{e}");
        for cut in 0..40 {
            let _ = parse_npy(&npy("<f4", "(2, 2)", &f)[..cut], "x");
        }
    }

    #[test]
    fn json_forms() {
        let s = parse_json(b"[[1, 2], [[3], [4.5]]]", "x").unwrap();
        assert_eq!(s.inputs, vec![vec![1.0, 2.0], vec![3.0, 4.5]]);
        assert_eq!(s.labels, None);
        let s = parse_json(br#"{"inputs": [[1, 2]], "labels": [7]}"#, "x").unwrap();
        assert_eq!(s.labels, Some(vec![7]));
        for (bad, needle) in [
            (
                &br#"{"inputs": [[1]], "labels": [1, 2]}"#[..],
                "2 labels for 1 samples",
            ),
            (
                br#"{"inputs": [[1]], "label": [1]}"#,
                "unknown key \"label\"",
            ),
            (br#"[[1, "a"]]"#, "sample 0: expected numbers"),
            (
                br#"{"inputs": [[1]], "labels": [-1]}"#,
                "not a non-negative integer",
            ),
            (b"[[1,2]", "invalid JSON"),
            (b"[]", "no samples"),
        ] {
            let e = parse_json(bad, "x").unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
        }
    }
}
