//! A restricted unpickler: the opcodes a PyTorch state dict uses, and an allow-list of globals.
//!
//! Nothing is ever imported or called. `GLOBAL` / `STACK_GLOBAL` look the (module, name) pair up
//! in [`allowed_global`]; anything else — `builtins.eval`, `os.system`, `posix.system`,
//! `torch.load` — is an immediate [`ConvertError::ForbiddenGlobal`]. `REDUCE` applies only the
//! allowed callables, and only in the shapes `torch.save` writes them
//! (`OrderedDict()`, `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)`,
//! `_rebuild_parameter(tensor, requires_grad, hooks)`). Storages come from `BINPERSID` with
//! torch's `('storage', <StorageClass>, key, location, numel[, view_metadata])` tuple.
//!
//! Objects live in an arena addressed by index; containers hold indices. Memo references
//! (`BINGET`) therefore share, never copy; cycles are harmless; dropping is flat (no recursion,
//! however deep a hostile pickle nests); and the arena grows by at most one object per opcode,
//! so its size is bounded by the pickle's length.

use std::collections::HashMap;

use crate::error::{ConvertError, Result};
use crate::tensor::{truncate_name, DType};

/// Index of an object in [`Pickle::objects`].
pub(crate) type Id = usize;

/// An allowed global.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Global {
    OrderedDict,
    RebuildTensorV2,
    RebuildTensor,
    RebuildParameter,
    RebuildParameterWithState,
    /// `torch.FloatStorage` and friends: the element type of a persistent storage.
    StorageType(DType),
    /// `torch.float32` and friends (accepted as inert values).
    TorchDtype(DType),
}

/// Looks `module.name` up in the allow-list.
pub(crate) fn allowed_global(module: &str, name: &str) -> Option<Global> {
    Some(match (module, name) {
        ("collections", "OrderedDict") => Global::OrderedDict,
        ("torch._utils", "_rebuild_tensor_v2") => Global::RebuildTensorV2,
        ("torch._utils", "_rebuild_tensor") => Global::RebuildTensor,
        ("torch._utils", "_rebuild_parameter") => Global::RebuildParameter,
        ("torch._utils", "_rebuild_parameter_with_state") => Global::RebuildParameterWithState,
        ("torch", storage) if storage.ends_with("Storage") => {
            Global::StorageType(match storage {
                "FloatStorage" => DType::F32,
                "HalfStorage" => DType::F16,
                "BFloat16Storage" => DType::BF16,
                "DoubleStorage" => DType::F64,
                "LongStorage" => DType::I64,
                "IntStorage" => DType::I32,
                "ShortStorage" => DType::I16,
                "CharStorage" => DType::I8,
                "ByteStorage" => DType::U8,
                "BoolStorage" => DType::Bool,
                // What torch.save writes for an untyped storage; its tensors are bytes.
                "UntypedStorage" => DType::U8,
                _ => return None,
            })
        }
        ("torch", dtype) => Global::TorchDtype(match dtype {
            "float32" | "float" => DType::F32,
            "float16" | "half" => DType::F16,
            "bfloat16" => DType::BF16,
            "float64" | "double" => DType::F64,
            "int64" | "long" => DType::I64,
            "int32" | "int" => DType::I32,
            "int16" | "short" => DType::I16,
            "int8" => DType::I8,
            "uint8" => DType::U8,
            "bool" => DType::Bool,
            _ => return None,
        }),
        _ => return None,
    })
}

/// A storage reference from a persistent id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StorageRef {
    pub(crate) key: String,
    pub(crate) dtype: DType,
    /// Element count the persistent id declares.
    pub(crate) numel: u64,
}

/// A tensor view of a storage (what `_rebuild_tensor_v2` describes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TensorRef {
    pub(crate) storage: StorageRef,
    pub(crate) offset: u64,
    pub(crate) size: Vec<u64>,
    pub(crate) stride: Vec<u64>,
}

/// One unpickled object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Obj {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Id>),
    List(Vec<Id>),
    /// Also `OrderedDict`; pairs in insertion order, later duplicates win when read.
    Dict(Vec<(Id, Id)>),
    Global(Global),
    Storage(Box<StorageRef>),
    Tensor(Box<TensorRef>),
}

impl Obj {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Obj::None => "None",
            Obj::Bool(_) => "bool",
            Obj::Int(_) => "int",
            Obj::Float(_) => "float",
            Obj::Str(_) => "str",
            Obj::Bytes(_) => "bytes",
            Obj::Tuple(_) => "tuple",
            Obj::List(_) => "list",
            Obj::Dict(_) => "dict",
            Obj::Global(_) => "global",
            Obj::Storage(_) => "storage",
            Obj::Tensor(_) => "tensor",
        }
    }
}

/// The result of unpickling one stream.
#[derive(Debug)]
pub(crate) struct Pickle {
    pub(crate) objects: Vec<Obj>,
    pub(crate) root: Id,
    /// Bytes consumed, through the STOP opcode.
    pub(crate) end: usize,
}

impl Pickle {
    pub(crate) fn get(&self, id: Id) -> &Obj {
        // Ids are only ever created by `Machine::alloc`, so they are in range.
        &self.objects[id]
    }

    /// Every storage referenced anywhere in the stream.
    pub(crate) fn storages(&self) -> impl Iterator<Item = &StorageRef> {
        self.objects.iter().filter_map(|o| match o {
            Obj::Storage(s) => Some(&**s),
            _ => None,
        })
    }
}

/// Largest PROTO accepted.
const MAX_PROTOCOL: u8 = 5;
/// Longest accepted GLOBAL line.
const MAX_GLOBAL_LINE: usize = 256;
/// Longest accepted storage key, persistent-id tag or location, or STACK_GLOBAL part.
pub(crate) const MAX_SHORT_STR: usize = 256;
/// Most dimensions a tensor may have.
pub(crate) const MAX_TENSOR_DIMS: usize = 64;

struct Machine<'a> {
    data: &'a [u8],
    pos: usize,
    /// Offset of the opcode being executed (for messages).
    op_pos: usize,
    stream: &'a str,
    objects: Vec<Obj>,
    stack: Vec<Id>,
    marks: Vec<usize>,
    memo: HashMap<u64, Id>,
}

/// Unpickles one stream starting at `data[0]`, stopping at its STOP opcode.
///
/// `stream` names the stream in errors (e.g. `archive/data.pkl`).
pub(crate) fn unpickle(data: &[u8], stream: &str) -> Result<Pickle> {
    let mut m = Machine {
        data,
        pos: 0,
        op_pos: 0,
        stream,
        objects: Vec::new(),
        stack: Vec::new(),
        marks: Vec::new(),
        memo: HashMap::new(),
    };
    let root = m.run()?;
    Ok(Pickle {
        objects: m.objects,
        root,
        end: m.pos,
    })
}

impl<'a> Machine<'a> {
    fn err(&self, msg: impl Into<String>) -> ConvertError {
        ConvertError::Pickle {
            stream: self.stream.to_string(),
            offset: self.op_pos as u64,
            msg: msg.into(),
        }
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let avail = self.data.len() - self.pos;
        if n > avail {
            return Err(self.err(format!(
                "truncated: {what} needs {n} bytes, only {avail} left"
            )));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn bytes_n<const N: usize>(&mut self, what: &str) -> Result<[u8; N]> {
        let s = self.take(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    fn len_prefixed(&mut self, width: usize, what: &str) -> Result<&'a [u8]> {
        let n: u64 = match width {
            1 => u64::from(self.bytes_n::<1>(what)?[0]),
            4 => u64::from(u32::from_le_bytes(self.bytes_n(what)?)),
            _ => u64::from_le_bytes(self.bytes_n(what)?),
        };
        let n = usize::try_from(n).map_err(|_| self.err(format!("{what} length {n} too large")))?;
        self.take(n, what)
    }

    fn alloc(&mut self, obj: Obj) -> Id {
        self.objects.push(obj);
        self.objects.len() - 1
    }

    fn push(&mut self, obj: Obj) {
        let id = self.alloc(obj);
        self.stack.push(id);
    }

    fn pop(&mut self, what: &str) -> Result<Id> {
        let floor = self.marks.last().copied().unwrap_or(0);
        if self.stack.len() <= floor {
            return Err(self.err(format!("stack underflow ({what})")));
        }
        self.stack
            .pop()
            .ok_or_else(|| self.err(format!("stack underflow ({what})")))
    }

    fn top(&self, what: &str) -> Result<Id> {
        let floor = self.marks.last().copied().unwrap_or(0);
        if self.stack.len() <= floor {
            return Err(self.err(format!("stack underflow ({what})")));
        }
        self.stack
            .last()
            .copied()
            .ok_or_else(|| self.err(format!("stack underflow ({what})")))
    }

    fn pop_mark(&mut self, what: &str) -> Result<Vec<Id>> {
        let mark = self
            .marks
            .pop()
            .ok_or_else(|| self.err(format!("{what} without a MARK")))?;
        if mark > self.stack.len() {
            return Err(self.err(format!("{what}: MARK beyond the stack")));
        }
        Ok(self.stack.split_off(mark))
    }

    fn memo_put(&mut self, key: u64) -> Result<()> {
        let id = self.top("memo put")?;
        self.memo.insert(key, id);
        Ok(())
    }

    fn memo_get(&mut self, key: u64) -> Result<()> {
        let id = *self
            .memo
            .get(&key)
            .ok_or_else(|| self.err(format!("memo key {key} was never stored")))?;
        self.stack.push(id);
        Ok(())
    }

    /// A short string (at most [`MAX_SHORT_STR`] bytes; longer ones are an error, never copied).
    fn str_of(&self, id: Id, what: &str) -> Result<String> {
        match &self.objects[id] {
            Obj::Str(s) if s.len() > MAX_SHORT_STR => Err(self.err(format!(
                "{what} is {} bytes long, more than {MAX_SHORT_STR}",
                s.len()
            ))),
            Obj::Str(s) => Ok(s.clone()),
            other => Err(self.err(format!("{what} must be a str, got {}", other.kind()))),
        }
    }

    fn int_of(&self, id: Id, what: &str) -> Result<u64> {
        match self.objects[id] {
            Obj::Int(v) => {
                u64::try_from(v).map_err(|_| self.err(format!("{what} {v} is negative or huge")))
            }
            ref other => Err(self.err(format!("{what} must be an int, got {}", other.kind()))),
        }
    }

    fn int_tuple(&self, id: Id, what: &str) -> Result<Vec<u64>> {
        match &self.objects[id] {
            Obj::Tuple(items) | Obj::List(items) if items.len() > MAX_TENSOR_DIMS => {
                Err(self.err(format!(
                    "{what} has {} dimensions, more than {MAX_TENSOR_DIMS}",
                    items.len()
                )))
            }
            Obj::Tuple(items) | Obj::List(items) => {
                items.iter().map(|&i| self.int_of(i, what)).collect()
            }
            other => Err(self.err(format!("{what} must be a tuple, got {}", other.kind()))),
        }
    }

    fn global(&mut self, module: &str, name: &str) -> Result<()> {
        match allowed_global(module, name) {
            Some(g) => {
                self.push(Obj::Global(g));
                Ok(())
            }
            None => Err(ConvertError::ForbiddenGlobal {
                stream: self.stream.to_string(),
                offset: self.op_pos as u64,
                module: truncate_name(module),
                name: truncate_name(name),
            }),
        }
    }

    fn read_line(&mut self) -> Result<String> {
        let rest = &self.data[self.pos..];
        let window = &rest[..rest.len().min(MAX_GLOBAL_LINE + 1)];
        let nl = window
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| self.err("GLOBAL line without a newline (or longer than 256 bytes)"))?;
        let line = std::str::from_utf8(&window[..nl])
            .map_err(|_| self.err("GLOBAL line is not UTF-8"))?
            .to_string();
        self.pos += nl + 1;
        Ok(line)
    }

    /// REDUCE / NEWOBJ: apply an allowed callable.
    fn call(&mut self, callable: Id, args: Id) -> Result<()> {
        let Obj::Global(g) = self.objects[callable] else {
            return Err(self.err(format!(
                "REDUCE on a {}, not an allowed global",
                self.objects[callable].kind()
            )));
        };
        let Obj::Tuple(args) = &self.objects[args] else {
            return Err(self.err(format!(
                "REDUCE arguments must be a tuple, got {}",
                self.objects[args].kind()
            )));
        };
        let args = args.clone();
        match g {
            Global::OrderedDict => {
                if !args.is_empty() {
                    return Err(self.err("OrderedDict(...) with arguments is not supported"));
                }
                self.push(Obj::Dict(Vec::new()));
            }
            Global::RebuildTensorV2 | Global::RebuildTensor => {
                let ok_len = match g {
                    Global::RebuildTensorV2 => (6..=7).contains(&args.len()),
                    _ => args.len() == 4,
                };
                if !ok_len {
                    return Err(self.err(format!(
                        "tensor rebuild with {} arguments (expected storage, storage_offset, \
                         size, stride, ...)",
                        args.len()
                    )));
                }
                let Obj::Storage(storage) = &self.objects[args[0]] else {
                    return Err(self.err(format!(
                        "tensor rebuild: first argument must be a storage, got {}",
                        self.objects[args[0]].kind()
                    )));
                };
                let storage = (**storage).clone();
                let offset = self.int_of(args[1], "storage_offset")?;
                let size = self.int_tuple(args[2], "size")?;
                let stride = self.int_tuple(args[3], "stride")?;
                if size.len() != stride.len() {
                    return Err(self.err(format!(
                        "tensor rebuild: size has {} dims but stride has {}",
                        size.len(),
                        stride.len()
                    )));
                }
                self.push(Obj::Tensor(Box::new(TensorRef {
                    storage,
                    offset,
                    size,
                    stride,
                })));
            }
            Global::RebuildParameter | Global::RebuildParameterWithState => {
                let want = if g == Global::RebuildParameter { 3 } else { 4 };
                if args.len() != want {
                    return Err(self.err(format!(
                        "parameter rebuild with {} arguments, expected {want}",
                        args.len()
                    )));
                }
                if !matches!(self.objects[args[0]], Obj::Tensor(_)) {
                    return Err(self.err(format!(
                        "parameter rebuild: data must be a tensor, got {}",
                        self.objects[args[0]].kind()
                    )));
                }
                self.stack.push(args[0]);
            }
            Global::StorageType(_) | Global::TorchDtype(_) => {
                return Err(self.err("a storage type or dtype global is not callable here"));
            }
        }
        Ok(())
    }

    fn persistent_load(&mut self, pid: Id) -> Result<()> {
        let Obj::Tuple(items) = &self.objects[pid] else {
            return Err(self.err(format!(
                "persistent id must be a tuple, got {}",
                self.objects[pid].kind()
            )));
        };
        let items = items.clone();
        if !(5..=6).contains(&items.len()) {
            return Err(self.err(format!(
                "persistent id has {} fields, expected ('storage', type, key, location, numel)",
                items.len()
            )));
        }
        let tag = self.str_of(items[0], "persistent id tag")?;
        if tag != "storage" {
            return Err(self.err(format!(
                "persistent id tag '{}' is not 'storage'",
                truncate_name(&tag)
            )));
        }
        let dtype = match self.objects[items[1]] {
            Obj::Global(Global::StorageType(d)) => d,
            ref other => {
                return Err(self.err(format!(
                    "persistent id storage type must be a torch *Storage class, got {}",
                    other.kind()
                )))
            }
        };
        let key = match &self.objects[items[2]] {
            Obj::Int(i) => i.to_string(),
            _ => self.str_of(items[2], "persistent id storage key")?,
        };
        let _location = self.str_of(items[3], "persistent id location")?;
        let numel = self.int_of(items[4], "persistent id numel")?;
        if let Some(&view) = items.get(5) {
            if !matches!(self.objects[view], Obj::None) {
                return Err(self.err("storage views (legacy view_metadata) are not supported"));
            }
        }
        self.push(Obj::Storage(Box::new(StorageRef { key, dtype, numel })));
        Ok(())
    }

    fn run(&mut self) -> Result<Id> {
        loop {
            self.op_pos = self.pos;
            let op = self.bytes_n::<1>("opcode")?[0];
            match op {
                0x80 => {
                    // PROTO
                    let v = self.bytes_n::<1>("PROTO")?[0];
                    if v > MAX_PROTOCOL {
                        return Err(self.err(format!("unsupported pickle protocol {v}")));
                    }
                }
                0x95 => {
                    // FRAME: the length is advisory; opcodes are read straight through.
                    self.take(8, "FRAME")?;
                }
                b'.' => {
                    // STOP
                    let id = self.pop("STOP")?;
                    return Ok(id);
                }
                b'(' => self.marks.push(self.stack.len()),
                b'}' => self.push(Obj::Dict(Vec::new())),
                b']' => self.push(Obj::List(Vec::new())),
                b')' => self.push(Obj::Tuple(Vec::new())),
                b't' => {
                    let items = self.pop_mark("TUPLE")?;
                    self.push(Obj::Tuple(items));
                }
                0x85..=0x87 => {
                    let n = usize::from(op - 0x84);
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        items.push(self.pop("TUPLEn")?);
                    }
                    items.reverse();
                    self.push(Obj::Tuple(items));
                }
                b's' => {
                    let v = self.pop("SETITEM")?;
                    let k = self.pop("SETITEM")?;
                    let d = self.top("SETITEM")?;
                    self.dict_extend(d, vec![(k, v)])?;
                }
                b'u' => {
                    let items = self.pop_mark("SETITEMS")?;
                    if items.len() % 2 != 0 {
                        return Err(self.err("SETITEMS with an odd number of items"));
                    }
                    let d = self.top("SETITEMS")?;
                    let pairs = items.chunks_exact(2).map(|p| (p[0], p[1])).collect();
                    self.dict_extend(d, pairs)?;
                }
                b'a' => {
                    let v = self.pop("APPEND")?;
                    let l = self.top("APPEND")?;
                    self.list_extend(l, vec![v])?;
                }
                b'e' => {
                    let items = self.pop_mark("APPENDS")?;
                    let l = self.top("APPENDS")?;
                    self.list_extend(l, items)?;
                }
                b'J' => {
                    let v = i32::from_le_bytes(self.bytes_n("BININT")?);
                    self.push(Obj::Int(v.into()));
                }
                b'K' => {
                    let v = self.bytes_n::<1>("BININT1")?[0];
                    self.push(Obj::Int(v.into()));
                }
                b'M' => {
                    let v = u16::from_le_bytes(self.bytes_n("BININT2")?);
                    self.push(Obj::Int(v.into()));
                }
                0x8a => {
                    // LONG1: little-endian two's complement of n bytes.
                    let b = self.len_prefixed(1, "LONG1")?;
                    if b.len() > 16 {
                        return Err(self.err(format!("LONG1 of {} bytes is too large", b.len())));
                    }
                    let mut v: i128 = 0;
                    for (i, &byte) in b.iter().enumerate() {
                        v |= i128::from(byte) << (8 * i);
                    }
                    if let Some(&last) = b.last() {
                        if last & 0x80 != 0 && b.len() < 16 {
                            v -= 1i128 << (8 * b.len());
                        }
                    }
                    self.push(Obj::Int(v));
                }
                b'G' => {
                    let v = f64::from_be_bytes(self.bytes_n("BINFLOAT")?);
                    self.push(Obj::Float(v));
                }
                0x88 => self.push(Obj::Bool(true)),
                0x89 => self.push(Obj::Bool(false)),
                b'N' => self.push(Obj::None),
                b'X' | 0x8c | 0x8d => {
                    let width = match op {
                        0x8c => 1,
                        b'X' => 4,
                        _ => 8,
                    };
                    let b = self.len_prefixed(width, "BINUNICODE")?;
                    let s = std::str::from_utf8(b)
                        .map_err(|_| self.err("BINUNICODE is not valid UTF-8"))?
                        .to_string();
                    self.push(Obj::Str(s));
                }
                b'B' | b'C' | 0x8e => {
                    let width = match op {
                        b'C' => 1,
                        b'B' => 4,
                        _ => 8,
                    };
                    let b = self.len_prefixed(width, "BINBYTES")?.to_vec();
                    self.push(Obj::Bytes(b));
                }
                b'q' => {
                    let k = self.bytes_n::<1>("BINPUT")?[0];
                    self.memo_put(k.into())?;
                }
                b'r' => {
                    let k = u32::from_le_bytes(self.bytes_n("LONG_BINPUT")?);
                    self.memo_put(k.into())?;
                }
                0x94 => {
                    let k = self.memo.len() as u64;
                    self.memo_put(k)?;
                }
                b'h' => {
                    let k = self.bytes_n::<1>("BINGET")?[0];
                    self.memo_get(k.into())?;
                }
                b'j' => {
                    let k = u32::from_le_bytes(self.bytes_n("LONG_BINGET")?);
                    self.memo_get(k.into())?;
                }
                b'c' => {
                    let module = self.read_line()?;
                    let name = self.read_line()?;
                    self.global(&module, &name)?;
                }
                0x93 => {
                    let name = self.pop("STACK_GLOBAL")?;
                    let module = self.pop("STACK_GLOBAL")?;
                    let name = self.str_of(name, "STACK_GLOBAL name")?;
                    let module = self.str_of(module, "STACK_GLOBAL module")?;
                    self.global(&module, &name)?;
                }
                b'R' => {
                    let args = self.pop("REDUCE")?;
                    let callable = self.pop("REDUCE")?;
                    self.call(callable, args)?;
                }
                0x81 => {
                    // NEWOBJ: cls.__new__(cls, *args); only OrderedDict makes sense here.
                    let args = self.pop("NEWOBJ")?;
                    let cls = self.pop("NEWOBJ")?;
                    if self.objects[cls] != Obj::Global(Global::OrderedDict) {
                        return Err(self.err("NEWOBJ is only accepted for collections.OrderedDict"));
                    }
                    self.call(cls, args)?;
                }
                b'b' => {
                    // BUILD: the state (e.g. an OrderedDict's `_metadata`) is dropped.
                    let _state = self.pop("BUILD")?;
                    let target = self.top("BUILD")?;
                    match self.objects[target] {
                        Obj::Dict(_) | Obj::Tensor(_) => {}
                        ref other => {
                            return Err(self.err(format!("BUILD on a {}", other.kind())));
                        }
                    }
                }
                b'Q' => {
                    let pid = self.pop("BINPERSID")?;
                    self.persistent_load(pid)?;
                }
                b'0' => {
                    self.pop("POP")?;
                }
                b'1' => {
                    self.pop_mark("POP_MARK")?;
                }
                b'2' => {
                    let id = self.top("DUP")?;
                    self.stack.push(id);
                }
                other => {
                    let shown = if other.is_ascii_graphic() {
                        format!(" ('{}')", other as char)
                    } else {
                        String::new()
                    };
                    return Err(self.err(format!(
                        "opcode 0x{other:02x}{shown} is not accepted by the restricted unpickler"
                    )));
                }
            }
        }
    }

    fn dict_extend(&mut self, d: Id, pairs: Vec<(Id, Id)>) -> Result<()> {
        match &mut self.objects[d] {
            Obj::Dict(items) => {
                items.extend(pairs);
                Ok(())
            }
            other => {
                let kind = other.kind();
                Err(self.err(format!("SETITEM(S) on a {kind}, not a dict")))
            }
        }
    }

    fn list_extend(&mut self, l: Id, values: Vec<Id>) -> Result<()> {
        match &mut self.objects[l] {
            Obj::List(items) => {
                items.extend(values);
                Ok(())
            }
            other => {
                let kind = other.kind();
                Err(self.err(format!("APPEND(S) on a {kind}, not a list")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long1_sign() {
        // LONG1 with 0xff (-1), 0x00 0x01 (256), and the PyTorch legacy magic number.
        let p = unpickle(b"\x80\x02\x8a\x01\xff.", "t").unwrap();
        assert_eq!(p.get(p.root), &Obj::Int(-1));
        let p = unpickle(b"\x8a\x02\x00\x01.", "t").unwrap();
        assert_eq!(p.get(p.root), &Obj::Int(256));
        let p = unpickle(b"\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", "t").unwrap();
        assert_eq!(p.get(p.root), &Obj::Int(0x1950a86a20f9469cfc6c));
    }

    #[test]
    fn forbidden_global_is_named() {
        let e = unpickle(b"\x80\x02cbuiltins\neval\nX\x01\x00\x00\x001\x85R.", "t").unwrap_err();
        assert!(
            e.to_string().contains("forbidden global builtins.eval"),
            "{e}"
        );
    }

    #[test]
    fn mark_floor_protects_stack() {
        // SETITEM right after MARK must not reach below the mark.
        let e = unpickle(b"}(s.", "t").unwrap_err();
        assert!(e.to_string().contains("underflow"), "{e}");
    }
}
