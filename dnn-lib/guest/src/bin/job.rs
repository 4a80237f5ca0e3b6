//! The opml guest: runs one job (docs/spec.md §8.5).
#![no_std]
#![no_main]

fn guest_main() -> u32 {
    // SAFETY: this program only runs in the opml VM, which provides slots 4–15.
    unsafe { opml_guest::job::run() }
}

opml_guest::entry!(guest_main);
