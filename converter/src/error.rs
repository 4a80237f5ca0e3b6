//! The one error type of every reader.

use std::path::PathBuf;

/// Everything that can go wrong while reading a weight file.
///
/// Every message names what was wrong: the tensor, the byte offset, the pickle global, the
/// metadata key. No reader panics on any input; hostile input ends in one of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConvertError {
    /// The file (or the `config.json` beside it) could not be read from disk.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// No known signature at the start of the bytes.
    #[error("{what}: not a known weight file (no GGUF, safetensors, zip or pickle signature)")]
    UnknownFormat {
        /// The file, or `"<bytes>"`.
        what: String,
    },
    /// The GGUF container is malformed.
    #[error("GGUF: {msg} (at byte offset {offset})")]
    Gguf {
        /// Byte offset in the file where the problem was found.
        offset: u64,
        /// What is wrong.
        msg: String,
    },
    /// The safetensors container is malformed.
    #[error("safetensors: {msg}")]
    Safetensors {
        /// What is wrong.
        msg: String,
    },
    /// A pickle stream is malformed or uses an opcode the restricted unpickler does not have.
    #[error("pickle ({stream}): {msg} (at byte offset {offset})")]
    Pickle {
        /// Which pickle stream (`data.pkl`, `legacy object`, ...).
        stream: String,
        /// Byte offset of the opcode within that stream.
        offset: u64,
        /// What is wrong.
        msg: String,
    },
    /// A pickle refers to a global outside the allow-list; it is never imported or called.
    #[error(
        "forbidden global {module}.{name} in pickle ({stream}) at byte offset {offset}: \
         only the globals a PyTorch state dict needs are accepted"
    )]
    ForbiddenGlobal {
        /// Which pickle stream.
        stream: String,
        /// Byte offset of the GLOBAL / STACK_GLOBAL opcode.
        offset: u64,
        /// Module part, e.g. `builtins`.
        module: String,
        /// Name part, e.g. `eval`.
        name: String,
    },
    /// The PyTorch checkpoint is well-formed pickle but not a readable checkpoint.
    #[error("PyTorch checkpoint: {msg}")]
    Torch {
        /// What is wrong.
        msg: String,
    },
    /// One tensor is unreadable (bad shape, dtype, offset, view, ...).
    #[error("{format} tensor '{name}': {msg}")]
    Tensor {
        /// `"GGUF"`, `"safetensors"` or `"PyTorch"`.
        format: &'static str,
        /// The tensor's name as in the file (dotted for PyTorch).
        name: String,
        /// What is wrong.
        msg: String,
    },
    /// The output would be disproportionately larger than the input (see
    /// [`crate::MAX_EXPANSION`]).
    #[error(
        "{format}: '{name}' would take the output past {limit} bytes \
         ({factor}x the {input_len}-byte input); refusing to allocate",
        factor = crate::MAX_EXPANSION
    )]
    TooLarge {
        /// `"GGUF"`, `"safetensors"` or `"PyTorch"`.
        format: &'static str,
        /// The tensor or metadata entry that crossed the limit.
        name: String,
        /// The output limit in bytes.
        limit: u64,
        /// The size of the input in bytes.
        input_len: u64,
    },
    /// The zip container of a PyTorch checkpoint is malformed.
    #[error("zip archive: {msg}")]
    Zip {
        /// What is wrong (from the zip reader, with the entry name where known).
        msg: String,
    },
    /// The `config.json` beside the weights is not valid JSON.
    #[error("config.json at {}: {msg}", path.display())]
    Config {
        /// Path of the config file.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
}

/// Result with [`ConvertError`].
pub type Result<T, E = ConvertError> = std::result::Result<T, E>;

/// Everything that can go wrong while turning weights and an architecture into an opml model.
///
/// Every message names the layer (index and type, counted from 0 in file order), the tensor and
/// the shapes involved, or the file and sample at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The architecture description is unreadable, not valid TOML, or inconsistent.
    #[error("{what}: {msg}")]
    Arch {
        /// The file, or `"architecture"`.
        what: String,
        /// What is wrong (TOML errors carry line and column).
        msg: String,
    },
    /// The weights file could not be read.
    #[error("weights {path}: {error}")]
    Weights {
        /// The weights file.
        path: String,
        /// The reader's error (its message is part of this one's).
        error: ConvertError,
    },
    /// A tensor named by the architecture is not in the weights.
    #[error("layer {layer} ({kind}): tensor '{name}' ({role}) is not in the weights{hint}")]
    MissingTensor {
        /// Layer index.
        layer: usize,
        /// Layer type.
        kind: &'static str,
        /// Which field named it (`weight`, `bias`, `running_var`, ...).
        role: &'static str,
        /// The name looked up.
        name: String,
        /// Close names, if any (`"; similar: ..."`).
        hint: String,
    },
    /// A tensor's shape does not fit the layer.
    #[error("layer {layer} ({kind}): tensor '{name}' has shape {actual:?}, expected {expected}")]
    Shape {
        /// Layer index.
        layer: usize,
        /// Layer type.
        kind: &'static str,
        /// Tensor name.
        name: String,
        /// Its shape in the file.
        actual: Vec<usize>,
        /// What the layer needs.
        expected: String,
    },
    /// A tensor holds integers or booleans where real numbers are needed, or non-finite values.
    #[error("layer {layer} ({kind}): tensor '{name}' {msg}")]
    TensorValues {
        /// Layer index.
        layer: usize,
        /// Layer type.
        kind: &'static str,
        /// Tensor name.
        name: String,
        /// What is wrong.
        msg: String,
    },
    /// A layer does not fit its input or its neighbours.
    #[error("layer {layer} ({kind}): {msg}")]
    Layer {
        /// Layer index.
        layer: usize,
        /// Layer type.
        kind: &'static str,
        /// What is wrong.
        msg: String,
    },
    /// A sample file is unreadable or does not fit the model input.
    #[error("samples {what}: {msg}")]
    Samples {
        /// The file.
        what: String,
        /// What is wrong.
        msg: String,
    },
    /// Calibration is impossible (no samples and nothing to draw synthetic ones from).
    #[error("calibration: {0}")]
    Calibration(String),
    /// The integer graph was rejected by opml-dnn (a converter bug if it happens).
    #[error("building the integer graph: {0}")]
    Graph(String),
    /// A BERT model's `config.json` is missing a key or holds an unusable value.
    #[error("BERT config {what}: {msg}")]
    BertConfig {
        /// The config file (or `"config"`).
        what: String,
        /// The key and what is wrong with it.
        msg: String,
    },
    /// A BERT weight is missing or has the wrong shape.
    #[error("BERT weights: {0}")]
    BertWeights(String),
}
