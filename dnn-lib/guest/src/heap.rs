//! A bump allocator over VM slots 1–2 (`0x1000_0000..0x3000_0000`): memory there starts zero and
//! is never loaded, so an unused heap costs nothing. One job allocates little and exits; nothing
//! is ever freed. The stack grows down from `0x4000_0000` through slot 3.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;

/// First heap byte.
pub const HEAP_START: usize = 0x1000_0000;
/// One past the last heap byte.
pub const HEAP_END: usize = 0x3000_0000;

/// The bump allocator.
pub struct Bump {
    next: Cell<usize>,
}

// SAFETY: the guest runs on a single hart with no interrupts.
unsafe impl Sync for Bump {}

impl Bump {
    /// An allocator at [`HEAP_START`].
    pub const fn new() -> Self {
        Self {
            next: Cell::new(HEAP_START),
        }
    }
}

impl Default for Bump {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: returns disjoint, aligned blocks inside the heap, or null when it is exhausted.
unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let start = (self.next.get() + layout.align() - 1) & !(layout.align() - 1);
        match start.checked_add(layout.size()) {
            Some(end) if end <= HEAP_END => {
                self.next.set(end);
                start as *mut u8
            }
            _ => core::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}
