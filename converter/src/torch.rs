//! PyTorch checkpoints: the zip format (`torch.save` since 1.6) and the legacy pickle stream.
//!
//! **Zip** (`.pt`, `.pth`, `.bin`): an archive with one top-level directory of any name holding
//! `data.pkl` (the object, pickled with persistent ids for storages), `data/<key>` (the raw
//! little-endian bytes of each storage) and `byteorder` (`little`; `big` is rejected).
//!
//! **Legacy** (`_use_new_zipfile_serialization=False`): five pickles back to back — the magic
//! number `0x1950a86a20f9469cfc6c`, the protocol version `1001`, a sys-info dict
//! (`little_endian` must be true), the object, the list of storage keys — followed, for each key
//! in that order, by an 8-byte little-endian element count and the raw bytes.
//!
//! # The restricted unpickler
//!
//! Both formats go through an unpickler written for this crate that never imports or calls
//! anything. It implements only the opcodes state dicts use — PROTO, FRAME, STOP, MARK,
//! EMPTY_DICT/LIST/TUPLE, TUPLE/TUPLE1/2/3, SETITEM(S), APPEND(S), BININT/BININT1/BININT2,
//! LONG1, BINFLOAT, NEWTRUE/NEWFALSE/NONE, BINUNICODE/SHORT_BINUNICODE/BINUNICODE8,
//! BINBYTES/SHORT_BINBYTES/BINBYTES8, BINPUT/LONG_BINPUT/MEMOIZE, BINGET/LONG_BINGET,
//! GLOBAL/STACK_GLOBAL, REDUCE, BUILD, BINPERSID, NEWOBJ, POP/POP_MARK/DUP — and accepts only
//! these globals:
//!
//! - `collections.OrderedDict` (called with no arguments; BUILD state such as `_metadata` is
//!   dropped),
//! - `torch._utils._rebuild_tensor_v2` / `_rebuild_tensor` (a view of a storage) and
//!   `_rebuild_parameter` / `_rebuild_parameter_with_state` (yield the wrapped tensor),
//! - the storage classes `torch.{Float,Half,BFloat16,Double,Long,Int,Short,Char,Byte,Bool}Storage`
//!   and `torch.UntypedStorage` (what torch 2.x still writes in persistent ids), only inside a
//!   `('storage', class, key, location, numel)` persistent id,
//! - the dtype objects `torch.float32`, `torch.float16`, ... (inert values).
//!
//! Any other global is an error naming it (`forbidden global builtins.eval`), raised at the
//! GLOBAL opcode, before anything could use it. Objects live in an arena addressed by index, so
//! memo references share instead of copying, cycles are harmless, and dropping never recurses;
//! flattening stops at [`MAX_NESTING`] levels and visits each object about once. Tensors are materialized from their
//! storage with the offset, sizes and strides `_rebuild_tensor_v2` recorded (contiguous or not;
//! every element index is bounds-checked against the storage before anything is allocated).
//!
//! Nested dicts (`{"state_dict": {...}}`, `{"model": {...}, "epoch": 3}`) are flattened into
//! dotted names (`model.encoder.weight`); lists and tuples holding tensors use their indices as
//! name parts. Scalar leaves (int, float, bool, str, and lists of them) go to
//! [`crate::Metadata::kv`] under their dotted names; `None` and other objects are skipped.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use tracing::{debug, warn};

use crate::error::{ConvertError, Result};
use crate::pickle::{unpickle, Id, Obj, Pickle, StorageRef, TensorRef};
use crate::tensor::{
    checked_numel, decode_plain, scalar_to_f32, truncate_name, Budget, DType, FloatTensor, Format,
    MetaValue, TensorMap,
};

const FORMAT: &str = "PyTorch";
/// The first pickle of a legacy checkpoint.
pub const LEGACY_MAGIC: i128 = 0x1950a86a20f9469cfc6c;
/// The protocol version a legacy checkpoint records.
pub const LEGACY_PROTOCOL_VERSION: i128 = 1001;
/// Deepest nesting of dicts / lists that is flattened.
pub const MAX_NESTING: usize = 64;

fn torch_err(msg: impl Into<String>) -> ConvertError {
    ConvertError::Torch { msg: msg.into() }
}

/// Reads a PyTorch zip checkpoint from memory.
pub fn read_zip(bytes: &[u8]) -> Result<TensorMap> {
    let zip_err = |e: zip::result::ZipError| ConvertError::Zip { msg: e.to_string() };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_err)?;
    // Every entry we read may decompress to at most this much.
    let entry_cap = (bytes.len() as u64).saturating_mul(crate::MAX_EXPANSION);

    let pkl_name = archive
        .file_names()
        .filter(|n| *n == "data.pkl" || n.ends_with("/data.pkl"))
        .min_by_key(|n| (n.matches('/').count(), n.len()))
        .map(str::to_string)
        .ok_or_else(|| {
            torch_err("zip archive has no data.pkl (not a PyTorch checkpoint)".to_string())
        })?;
    let prefix = pkl_name[..pkl_name.len() - "data.pkl".len()].to_string();
    debug!(%pkl_name, "PyTorch zip checkpoint");

    let byteorder_name = format!("{prefix}byteorder");
    if archive.index_for_name(&byteorder_name).is_some() {
        let order = read_entry(&mut archive, &byteorder_name, entry_cap)?;
        if order.trim_ascii() != b"little" {
            return Err(torch_err(format!(
                "{byteorder_name} says {:?}; only little-endian checkpoints are read",
                String::from_utf8_lossy(&order[..order.len().min(16)])
            )));
        }
    }

    let pkl = read_entry(&mut archive, &pkl_name, entry_cap)?;
    let pickle = unpickle(&pkl, &pkl_name)?;

    let mut storages: HashMap<String, Vec<u8>> = HashMap::new();
    for s in pickle.storages() {
        if storages.contains_key(&s.key) {
            continue;
        }
        let name = format!("{prefix}data/{}", s.key);
        if archive.index_for_name(&name).is_none() {
            return Err(torch_err(format!(
                "storage '{}' is referenced by {pkl_name} but {name} is missing",
                truncate_name(&s.key)
            )));
        }
        let data = read_entry(&mut archive, &name, entry_cap)?;
        storages.insert(s.key.clone(), data);
    }
    let lookup = |s: &StorageRef| storages.get(&s.key).map(Vec::as_slice);
    build(&pickle, &lookup, bytes.len(), Format::TorchZip)
}

/// Reads one zip entry fully, refusing to inflate past `cap` bytes or past its declared size.
fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    cap: u64,
) -> Result<Vec<u8>> {
    let mut file = archive.by_name(name).map_err(|e| ConvertError::Zip {
        msg: format!("entry {name}: {e}"),
    })?;
    let declared = file.size();
    if declared > cap {
        return Err(ConvertError::Zip {
            msg: format!(
                "entry {name} declares {declared} bytes, more than {}x the archive",
                crate::MAX_EXPANSION
            ),
        });
    }
    let mut out = Vec::with_capacity(declared as usize);
    (&mut file)
        .take(declared.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| ConvertError::Zip {
            msg: format!("entry {name}: {e}"),
        })?;
    if out.len() as u64 != declared {
        return Err(ConvertError::Zip {
            msg: format!(
                "entry {name} holds {} bytes but declares {declared}",
                out.len()
            ),
        });
    }
    Ok(out)
}

/// Reads a legacy (non-zip) PyTorch checkpoint from memory.
pub fn read_legacy(bytes: &[u8]) -> Result<TensorMap> {
    let mut pos = 0usize;
    let mut next = |stream: &str| -> Result<Pickle> {
        let rest = bytes.get(pos..).unwrap_or(&[]);
        let p = unpickle(rest, stream).map_err(|e| match e {
            ConvertError::Pickle {
                stream,
                offset,
                msg,
            } => ConvertError::Pickle {
                stream,
                offset: offset + pos as u64,
                msg,
            },
            ConvertError::ForbiddenGlobal {
                stream,
                offset,
                module,
                name,
            } => ConvertError::ForbiddenGlobal {
                stream,
                offset: offset + pos as u64,
                module,
                name,
            },
            other => other,
        })?;
        pos += p.end;
        Ok(p)
    };

    let magic = next("legacy magic number")?;
    if magic.get(magic.root) != &Obj::Int(LEGACY_MAGIC) {
        return Err(torch_err(
            "not a legacy PyTorch checkpoint: the first pickle is not the magic number \
             0x1950a86a20f9469cfc6c",
        ));
    }
    let version = next("legacy protocol version")?;
    match version.get(version.root) {
        Obj::Int(LEGACY_PROTOCOL_VERSION) => {}
        other => {
            return Err(torch_err(format!(
                "legacy protocol version must be 1001, got {}",
                describe(other)
            )))
        }
    }
    let sys_info = next("legacy sys info")?;
    if let Obj::Dict(pairs) = sys_info.get(sys_info.root) {
        for &(k, v) in pairs {
            if sys_info.get(k) == &Obj::Str("little_endian".into())
                && sys_info.get(v) == &Obj::Bool(false)
            {
                return Err(torch_err(
                    "big-endian legacy checkpoint (sys info little_endian = False)",
                ));
            }
        }
    } else {
        return Err(torch_err("legacy sys info is not a dict"));
    }
    let object = next("legacy object")?;
    let keys = next("legacy storage keys")?;
    let key_ids: &[Id] = match keys.get(keys.root) {
        Obj::List(items) | Obj::Tuple(items) => items,
        o => {
            return Err(torch_err(format!(
                "legacy storage keys must be a list, got {}",
                o.kind()
            )))
        }
    };

    // The element type of each storage comes from the object pickle's persistent ids.
    let mut dtypes: HashMap<&str, DType> = HashMap::new();
    for s in object.storages() {
        if let Some(prev) = dtypes.insert(&s.key, s.dtype) {
            if prev != s.dtype {
                return Err(torch_err(format!(
                    "storage '{}' is referenced as both {prev} and {}",
                    truncate_name(&s.key),
                    s.dtype
                )));
            }
        }
    }
    let mut storages: HashMap<String, &[u8]> = HashMap::new();
    // Keys are taken one at a time: each needs 8 more bytes of file, so a long list of
    // (memoized) keys ends in an error long before it costs much.
    for &key_id in key_ids {
        let key = match keys.get(key_id) {
            Obj::Str(s) if s.len() > crate::pickle::MAX_SHORT_STR => {
                return Err(torch_err(format!(
                    "legacy storage key of {} bytes is too long",
                    s.len()
                )))
            }
            Obj::Str(s) => s.clone(),
            Obj::Int(n) => n.to_string(),
            o => {
                return Err(torch_err(format!(
                    "legacy storage key list holds a {}",
                    o.kind()
                )))
            }
        };
        let tk = truncate_name(&key);
        let dtype = *dtypes.get(key.as_str()).ok_or_else(|| {
            torch_err(format!(
                "storage '{tk}' is listed but never referenced by the object"
            ))
        })?;
        let elem = dtype.element_size().unwrap_or(1) as u64;
        let header = bytes.get(pos..pos.saturating_add(8)).ok_or_else(|| {
            torch_err(format!(
                "truncated: storage '{tk}' element count at byte offset {pos} is missing"
            ))
        })?;
        let mut n = [0u8; 8];
        n.copy_from_slice(header);
        let numel = u64::from_le_bytes(n);
        let start = pos + 8;
        let avail = (bytes.len() - start) as u64;
        let nbytes = numel
            .checked_mul(elem)
            .filter(|&b| b <= avail)
            .ok_or_else(|| {
                torch_err(format!(
                    "storage '{tk}' at byte offset {pos} claims {numel} {dtype} elements, \
                 only {avail} bytes left in the file"
                ))
            })? as usize;
        storages.insert(key, &bytes[start..start + nbytes]);
        pos = start + nbytes;
    }
    if pos != bytes.len() {
        warn!(
            trailing = bytes.len() - pos,
            "legacy checkpoint has bytes after its last storage"
        );
    }
    let lookup = |s: &StorageRef| storages.get(&s.key).copied();
    build(&object, &lookup, bytes.len(), Format::TorchLegacy)
}

fn describe(o: &Obj) -> String {
    match o {
        Obj::Int(v) => v.to_string(),
        Obj::Str(s) => format!("'{}'", truncate_name(s)),
        other => other.kind().to_string(),
    }
}

/// What flattening found: tensors to materialize and metadata leaves.
struct Flat<'p> {
    tensors: BTreeMap<String, &'p TensorRef>,
    kv: BTreeMap<String, MetaValue>,
    visits: usize,
    max_visits: usize,
}

fn build<'s>(
    pickle: &Pickle,
    lookup: &dyn Fn(&StorageRef) -> Option<&'s [u8]>,
    input_len: usize,
    format: Format,
) -> Result<TensorMap> {
    let mut budget = Budget::new(FORMAT, input_len);
    let mut flat = Flat {
        tensors: BTreeMap::new(),
        kv: BTreeMap::new(),
        visits: 0,
        max_visits: pickle.objects.len() + 1,
    };
    flatten(
        pickle,
        pickle.root,
        String::new(),
        0,
        &mut flat,
        &mut budget,
    )?;

    let mut out = TensorMap::new(format);
    out.metadata.kv = flat.kv;
    for (name, t) in flat.tensors {
        let data = lookup(&t.storage).ok_or_else(|| ConvertError::Tensor {
            format: FORMAT,
            name: truncate_name(&name),
            msg: format!("storage '{}' has no data", truncate_name(&t.storage.key)),
        })?;
        let tensor = materialize(&name, t, data, &mut budget)?;
        debug!(tensor = %name, dtype = %tensor.source_dtype, shape = ?tensor.shape, "PyTorch tensor");
        out.tensors.insert(name, tensor);
    }
    Ok(out)
}

/// `prefix.part`, charged to the budget before it is built (names repeat through shared
/// subtrees and memoized keys, so their total must be bounded, not just each one).
fn join(prefix: &str, part: &str, budget: &mut Budget) -> Result<String> {
    let len = prefix.len() as u64 + 1 + part.len() as u64;
    budget.charge(prefix, len)?;
    Ok(if prefix.is_empty() {
        part.to_string()
    } else {
        format!("{prefix}.{part}")
    })
}

/// Bytes a scalar leaf costs in the metadata; `None` for non-scalars.
fn scalar_cost(o: &Obj) -> Option<u64> {
    match o {
        Obj::Bool(_) | Obj::Float(_) => Some(16),
        Obj::Int(i) => i64::try_from(*i).is_ok().then_some(16),
        Obj::Str(s) => Some(16 + s.len() as u64),
        _ => None,
    }
}

fn scalar(o: &Obj) -> Option<MetaValue> {
    match *o {
        Obj::Bool(b) => Some(MetaValue::Bool(b)),
        Obj::Int(i) => i64::try_from(i).ok().map(MetaValue::I64),
        Obj::Float(f) => Some(MetaValue::F64(f)),
        Obj::Str(ref s) => Some(MetaValue::Str(s.clone())),
        _ => None,
    }
}

enum Key<'p> {
    Str(&'p str),
    Int(i128),
}

fn flatten<'p>(
    p: &'p Pickle,
    id: Id,
    name: String,
    depth: usize,
    flat: &mut Flat<'p>,
    budget: &mut Budget,
) -> Result<()> {
    flat.visits += 1;
    if flat.visits > flat.max_visits {
        return Err(torch_err(format!(
            "the object graph shares containers too often to flatten (at '{}')",
            truncate_name(&name)
        )));
    }
    if depth > MAX_NESTING {
        return Err(torch_err(format!(
            "containers nested deeper than {MAX_NESTING} (at '{}')",
            truncate_name(&name)
        )));
    }
    let duplicate = |name: &str| {
        torch_err(format!(
            "two entries flatten to the same name '{}'",
            truncate_name(name)
        ))
    };
    match p.get(id) {
        Obj::Dict(pairs) => {
            // Python semantics: a later SETITEM of the same key replaces the earlier one.
            // Keys are compared borrowed (a memoized key may be referenced many times).
            let mut entries: Vec<(Key<'p>, Id)> = Vec::new();
            let mut by_str: HashMap<&'p str, usize> = HashMap::new();
            let mut by_int: HashMap<i128, usize> = HashMap::new();
            for &(k, v) in pairs {
                let (slot, key) = match p.get(k) {
                    Obj::Str(s) => (by_str.get(s.as_str()).copied(), Key::Str(s)),
                    Obj::Int(i) => (by_int.get(i).copied(), Key::Int(*i)),
                    other => {
                        return Err(torch_err(format!(
                            "dict key of type {} under '{}'",
                            other.kind(),
                            truncate_name(&name)
                        )))
                    }
                };
                match slot {
                    Some(i) => entries[i].1 = v,
                    None => {
                        match key {
                            Key::Str(s) => by_str.insert(s, entries.len()),
                            Key::Int(i) => by_int.insert(i, entries.len()),
                        };
                        entries.push((key, v));
                    }
                }
            }
            for (key, v) in entries {
                let child = match key {
                    Key::Str(s) => join(&name, s, budget)?,
                    Key::Int(i) => join(&name, &i.to_string(), budget)?,
                };
                flatten(p, v, child, depth + 1, flat, budget)?;
            }
        }
        Obj::List(items) | Obj::Tuple(items) => {
            let cost: Option<u64> = items.iter().try_fold(0u64, |acc, &i| {
                Some(acc.saturating_add(scalar_cost(p.get(i))?))
            });
            match cost {
                Some(cost) if !name.is_empty() => {
                    // A list of scalars is one metadata value; pay before copying its strings.
                    flat.visits += items.len();
                    budget.charge(&name, cost.saturating_add(name.len() as u64))?;
                    let values = items.iter().filter_map(|&i| scalar(p.get(i))).collect();
                    if flat
                        .kv
                        .insert(name.clone(), MetaValue::Array(values))
                        .is_some()
                    {
                        return Err(duplicate(&name));
                    }
                }
                _ => {
                    for (i, &item) in items.iter().enumerate() {
                        let child = join(&name, &i.to_string(), budget)?;
                        flatten(p, item, child, depth + 1, flat, budget)?;
                    }
                }
            }
        }
        Obj::Tensor(t) => {
            let name = if name.is_empty() {
                "tensor".to_string()
            } else {
                name
            };
            if flat.tensors.insert(name.clone(), t).is_some() {
                return Err(duplicate(&name));
            }
        }
        other => {
            if let Some(cost) = scalar_cost(other) {
                budget.charge(&name, cost.saturating_add(name.len() as u64))?;
                if let Some(v) = scalar(other) {
                    if flat.kv.insert(name.clone(), v).is_some() {
                        return Err(duplicate(&name));
                    }
                }
            } else {
                debug!(name = %truncate_name(&name), kind = other.kind(), "skipping non-tensor leaf");
            }
        }
    }
    Ok(())
}

/// Builds the f32 tensor a `_rebuild_tensor_v2` view describes, checking every bound first.
fn materialize(name: &str, t: &TensorRef, data: &[u8], budget: &mut Budget) -> Result<FloatTensor> {
    let err = |msg: String| ConvertError::Tensor {
        format: FORMAT,
        name: truncate_name(name),
        msg,
    };
    let dtype = t.storage.dtype;
    let elem = dtype.element_size().unwrap_or(1);
    let key = truncate_name(&t.storage.key);
    let storage_numel = t.storage.numel;
    let needed = storage_numel.checked_mul(elem as u64);
    if needed.is_none_or(|n| n > data.len() as u64) {
        return Err(err(format!(
            "storage '{key}' declares {storage_numel} {dtype} elements but holds only {} bytes",
            data.len()
        )));
    }
    let numel = checked_numel(t.size.iter().copied())
        .ok_or_else(|| err(format!("size {:?} overflows", t.size)))?;
    let shape = t
        .size
        .iter()
        .map(|&d| usize::try_from(d))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| err(format!("size {:?} does not fit in usize", t.size)))?;
    if numel > 0 {
        // The furthest element the view touches must lie inside the storage.
        let mut last = Some(t.offset);
        for (&s, &st) in t.size.iter().zip(&t.stride) {
            last = last.and_then(|l| (s - 1).checked_mul(st).and_then(|x| l.checked_add(x)));
        }
        match last {
            Some(l) if l < storage_numel => {}
            _ => {
                return Err(err(format!(
                    "view (storage_offset {}, size {:?}, stride {:?}) reaches past the {} \
                     elements of storage '{key}'",
                    t.offset, t.size, t.stride, storage_numel
                )))
            }
        }
    }
    budget.charge_tensor(name, numel)?;
    let numel = numel as usize;

    let contiguous = {
        let mut expect = 1u64;
        let mut ok = true;
        for (&s, &st) in t.size.iter().zip(&t.stride).rev() {
            if s != 1 && st != expect {
                ok = false;
                break;
            }
            expect = expect.saturating_mul(s);
        }
        ok
    };
    let values = if numel == 0 {
        Vec::new()
    } else if contiguous {
        let start = t.offset as usize * elem;
        decode_plain(dtype, &data[start..start + numel * elem])
    } else {
        gather(dtype, elem, data, t, numel)
    };
    Ok(FloatTensor {
        shape,
        data: values,
        source_dtype: dtype,
    })
}

/// Reads a strided view element by element, in row-major order of `size`.
fn gather(dtype: DType, elem: usize, data: &[u8], t: &TensorRef, numel: usize) -> Vec<f32> {
    let dims = t.size.len();
    let mut out = Vec::with_capacity(numel);
    let mut idx = vec![0u64; dims];
    let mut pos = t.offset;
    for _ in 0..numel {
        let b = pos as usize * elem;
        out.push(
            data.get(b..b + elem)
                .and_then(|c| scalar_to_f32(dtype, c))
                .unwrap_or(f32::NAN),
        );
        // Advance the multi-index (last dimension fastest).
        for d in (0..dims).rev() {
            // Wrapping: a size-1 dimension may carry any stride; the position the loop ends
            // on is always back in range (checked by the caller).
            idx[d] += 1;
            pos = pos.wrapping_add(t.stride[d]);
            if idx[d] < t.size[d] {
                break;
            }
            pos = pos.wrapping_sub(t.stride[d].wrapping_mul(t.size[d]));
            idx[d] = 0;
        }
    }
    out
}
