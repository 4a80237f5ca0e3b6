//! The guest runtime: `_start`, the two system calls and the panic handler.
//!
//! `_start` does not set `sp` (the opml VM starts with sp = 0x4000_0000, qemu-user with its own
//! stack) and zeroes nothing (.bss is the zero-filled tail of a PT_LOAD segment, which both
//! loaders provide). It calls the function named by [`entry!`](crate::entry) and exits with its
//! return value. System call numbers are Linux's: `write` = 64, `exit` = 93.

/// `write(fd, buf, len)`.
pub const SYS_WRITE: u32 = 64;
/// `exit(code)`.
pub const SYS_EXIT: u32 = 93;
/// Exit code after a panic (as Rust's std uses).
pub const PANIC_EXIT_CODE: u32 = 101;

#[cfg(target_arch = "riscv32")]
core::arch::global_asm!(
    ".section .text._start, \"ax\", @progbits",
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    call __opml_guest_main",
    "    li a7, {exit}",
    "    ecall",
    "1:  j 1b",
    ".size _start, . - _start",
    exit = const SYS_EXIT,
);

/// Declares the guest's main function, `fn() -> u32`; its result is the exit code.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[unsafe(no_mangle)]
        extern "C" fn __opml_guest_main() -> u32 {
            let main: fn() -> u32 = $main;
            main()
        }
    };
}

/// Ends the program with `code` (the VM's exit status; Linux keeps the low 8 bits).
#[cfg(target_arch = "riscv32")]
pub fn exit(code: u32) -> ! {
    // SAFETY: the exit system call does not return and touches no memory.
    unsafe {
        core::arch::asm!("ecall", in("a0") code, in("a7") SYS_EXIT, options(noreturn, nostack))
    }
}

/// Writes `buf` to file descriptor `fd` (1 = stdout, 2 = stderr). A no-op in the opml VM unless
/// the host captures output; errors and short writes are ignored.
#[cfg(target_arch = "riscv32")]
pub fn write(fd: u32, buf: &[u8]) {
    // SAFETY: the write system call only reads `buf[..len]`.
    unsafe {
        core::arch::asm!(
            "ecall",
            inlateout("a0") fd => _,
            in("a1") buf.as_ptr(),
            in("a2") buf.len(),
            in("a7") SYS_WRITE,
            options(nostack, readonly),
        );
    }
}

/// Host stand-in so that the crate type-checks off target; the guest only runs on riscv32.
#[cfg(not(target_arch = "riscv32"))]
pub fn exit(code: u32) -> ! {
    panic!("guest exit({code}) off target")
}

/// Host stand-in so that the crate type-checks off target: discards `buf`.
#[cfg(not(target_arch = "riscv32"))]
pub fn write(_fd: u32, _buf: &[u8]) {}

#[cfg(target_os = "none")]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    /// A `core::fmt::Write` sink to a file descriptor.
    struct Fd(u32);

    impl core::fmt::Write for Fd {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            write(self.0, s.as_bytes());
            Ok(())
        }
    }

    use core::fmt::Write as _;
    let _ = writeln!(Fd(2), "guest {info}");
    exit(PANIC_EXIT_CODE)
}
