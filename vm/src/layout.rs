//! The VM memory map: 4 GiB as 16 slots of 256 MiB, each a depth-23 subtree of the depth-27
//! memory tree (docs/spec.md, "Memory map").

/// Depth of the memory tree: 2^27 leaves of 32 bytes = 4 GiB.
pub const MEMORY_DEPTH: usize = 27;
/// Depth of one slot's subtree: 2^23 leaves of 32 bytes = 256 MiB.
pub const SLOT_DEPTH: usize = 23;
/// Number of slots (a depth-4 tree over slot roots).
pub const SLOT_COUNT: usize = 16;
/// Bytes in one slot.
pub const SLOT_SIZE: u64 = 1 << (SLOT_DEPTH + 5);

/// Slot 0: the guest ELF image; its root is the program root.
pub const PROGRAM_SLOT: usize = 0;
/// Slot 4: the job (node descriptor and requested output range).
pub const JOB_SLOT: usize = 4;
/// Slots 5..=14: input tensors 0..=9.
pub const FIRST_INPUT_SLOT: usize = 5;
/// Number of input tensor slots.
pub const INPUT_SLOTS: usize = 10;
/// Slot 15: the guest writes the output tile here, at its offset in the tensor.
pub const OUTPUT_SLOT: usize = 15;

/// Initial stack pointer (top of slots 1..=3).
pub const STACK_TOP: u32 = 0x4000_0000;

/// First byte address of `slot`.
pub const fn slot_base(slot: usize) -> u32 {
    (slot as u32) << 28
}

const _: () = assert!(SLOT_SIZE * SLOT_COUNT as u64 == 1 << 32);
const _: () = assert!(slot_base(JOB_SLOT) == STACK_TOP);
const _: () = assert!(FIRST_INPUT_SLOT + INPUT_SLOTS == OUTPUT_SLOT);
