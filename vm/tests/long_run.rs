//! A hand-encoded program of more than 10^8 steps, recorded as a [`Trace`]: proofs of steps at
//! random, at the ends and around snapshot boundaries verify to the trace's own states, and the
//! trace ends where a straight run and a plain-Rust model of the program end.

mod common;

use common::asm::{self, reg::*};
use opml_vm::verify::verify_step;
use opml_vm::{Machine, Memory, Status, Trace};
use rand::{rngs::SmallRng, Rng, SeedableRng};

const CODE: u32 = 0x0000_1000;
/// The buffer straddles four pages of the heap slot.
const BUF: u32 = 0x1000_0F00;
/// Words in the buffer (12 KiB).
const WORDS: u32 = 3072;
/// Passes over the buffer.
const PASSES: u32 = 1400;
const MULTIPLIER: u32 = 0x9E37_79B1;
/// Steps between snapshots: small enough for many boundaries, large enough to matter.
const INTERVAL: u64 = 1 << 22;

/// The program. Per word of the buffer, in a called function with ra saved on the stack:
///
/// ```text
/// x = buf[i]; y = (misaligned) word at &buf[i] + 3
/// t3 = x * MULTIPLIER + y + acc
/// t4 = t3 /u 7;  t5 = t3 %s -7;  if t3 <s 0 { t4 = !t4 }
/// acc = ((acc ^ t4) + t5) ^ mulh(t3, MULTIPLIER)
/// buf[i] = t3;  halfword at &buf[i] + 1 = t4
/// ```
///
/// and after `PASSES` passes, `exit(acc)`.
fn program() -> Vec<u32> {
    let mut p = Vec::new();
    p.extend(asm::li(S0, BUF));
    p.extend(asm::li(S1, WORDS));
    p.extend(asm::li(S2, PASSES));
    p.extend(asm::li(S4, MULTIPLIER));
    p.push(asm::addi(S5, ZERO, 7));
    p.push(asm::addi(S6, ZERO, -7));
    p.push(asm::addi(A0, ZERO, 0));
    p.extend(asm::li(A7, 93));
    assert_eq!(p.len(), INIT_STEPS as usize);
    // outer:
    p.push(asm::mv(T1, S0));
    p.push(asm::mv(T0, S1));
    // inner:
    p.push(asm::jal(RA, 7 * 4)); // call body
    p.push(asm::addi(T1, T1, 4));
    p.push(asm::addi(T0, T0, -1));
    p.push(asm::bne(T0, ZERO, -3 * 4)); // to inner
    p.push(asm::addi(S2, S2, -1));
    p.push(asm::bne(S2, ZERO, -7 * 4)); // to outer
    p.push(asm::ecall());
    // body:
    let body = [
        asm::addi(SP, SP, -4),
        asm::sw(RA, 0, SP),
        asm::lw(T2, 0, T1),
        asm::lw(T6, 3, T1),
        asm::mul(T3, T2, S4),
        asm::add(T3, T3, T6),
        asm::add(T3, T3, A0),
        asm::divu(T4, T3, S5),
        asm::rem(T5, T3, S6),
        asm::bge(T3, ZERO, 8),
        asm::xori(T4, T4, -1),
        asm::xor(A0, A0, T4),
        asm::add(A0, A0, T5),
        asm::mulh(T5, T3, S4),
        asm::xor(A0, A0, T5),
        asm::sw(T3, 0, T1),
        asm::sh(T4, 1, T1),
        asm::lw(RA, 0, SP),
        asm::addi(SP, SP, 4),
        asm::jalr(ZERO, 0, RA),
    ];
    assert_eq!(body.len(), BODY_STEPS as usize);
    p.extend(body);
    p
}

const INIT_STEPS: u64 = 13;
const BODY_STEPS: u64 = 20;

/// The initial buffer: bytes from a fixed seed (and 3 zero bytes after it, read by the last
/// misaligned load of each pass).
fn initial_buffer() -> Vec<u8> {
    let mut rng = SmallRng::seed_from_u64(0x6F70_6D6C);
    (0..WORDS * 4).map(|_| rng.gen()).collect()
}

fn machine() -> Machine {
    let mut mem = Memory::new().expect("memory");
    let code: Vec<u8> = program().iter().flat_map(|w| w.to_le_bytes()).collect();
    mem.write_bytes(CODE, &code);
    mem.write_bytes(BUF, &initial_buffer());
    let mut m = Machine::new(mem, CODE, opml_vm::layout::STACK_TOP);
    m.set_code_range(CODE, code.len() as u32);
    m
}

/// The program in plain Rust: (exit code, final buffer, steps including the exit).
fn model() -> (u32, Vec<u8>, u64) {
    let mut buf = initial_buffer();
    buf.extend([0; 3]);
    let word = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let mut acc = 0u32;
    let mut skipped = 0u64;
    for _ in 0..PASSES {
        for i in 0..WORDS as usize {
            let at = 4 * i;
            let t3 = word(&buf, at)
                .wrapping_mul(MULTIPLIER)
                .wrapping_add(word(&buf, at + 3))
                .wrapping_add(acc);
            let mut t4 = t3 / 7;
            let t5 = ((t3 as i32) % -7) as u32;
            if (t3 as i32) < 0 {
                t4 = !t4;
            } else {
                skipped += 1;
            }
            let high = ((i64::from(t3 as i32) * i64::from(MULTIPLIER as i32)) >> 32) as u32;
            acc = ((acc ^ t4).wrapping_add(t5)) ^ high;
            buf[at..at + 4].copy_from_slice(&t3.to_le_bytes());
            buf[at + 1..at + 3].copy_from_slice(&(t4 as u16).to_le_bytes());
        }
    }
    buf.truncate(WORDS as usize * 4);
    let per_word = 4 + BODY_STEPS;
    let steps = INIT_STEPS + PASSES as u64 * (4 + WORDS as u64 * per_word) - skipped + 1;
    (acc, buf, steps)
}

#[test]
fn long_run_proofs_verify_against_the_trace() {
    let (code, buf, steps) = model();
    assert!(steps >= 100_000_000, "{steps} steps");

    // A straight run.
    let mut straight = machine();
    let ran = straight.run(u64::MAX);
    assert_eq!(ran, steps);
    assert_eq!(straight.status(), Status::Exited(code));
    assert_eq!(straight.memory().read_bytes(BUF, buf.len()), &buf[..]);
    assert_eq!(straight.reg(SP as usize), opml_vm::layout::STACK_TOP);
    let end = straight.state();

    // The same run, recorded.
    let trace = Trace::record(machine(), u64::MAX, INTERVAL);
    assert_eq!(*trace.final_state(), end);
    assert_eq!(trace.snapshot_count() as u64, (steps - 1) / INTERVAL + 1);
    assert_eq!(trace.state_at(steps).unwrap(), end);
    assert_eq!(
        trace.state_at(u64::MAX).unwrap(),
        end,
        "a halted run stays at its end"
    );

    // Steps to prove: both ends, around snapshot boundaries, and some at random.
    let last_snapshot = (steps - 1) / INTERVAL * INTERVAL;
    let mut at = vec![0, 1, 2, steps - 2, steps - 1, steps];
    for boundary in [INTERVAL, 2 * INTERVAL, 7 * INTERVAL, last_snapshot] {
        at.extend([boundary - 1, boundary, boundary + 1]);
    }
    let mut rng = SmallRng::seed_from_u64(0x0123_4567);
    at.extend((0..20).map(|_| rng.gen_range(0..steps)));

    for step in at {
        let proof = trace.prove(step).unwrap();
        let pre = trace.state_at(step).unwrap();
        let post = trace.state_at(step + 1).unwrap();
        assert_eq!(proof.step, step);
        assert_eq!(proof.pre_state_hash, pre.hash(), "pre-state of step {step}");
        assert_eq!(&proof.pre_state[..], &pre.encode()[..]);
        let verified = verify_step(
            &proof.pre_state_hash,
            &proof.pre_state,
            &proof.proof_bytes(),
        );
        assert_eq!(verified, Ok(post.hash()), "step {step}");
        assert_eq!(proof.post_state_hash, post.hash(), "step {step}");
        if step < steps {
            assert_eq!(post.step, step + 1);
            assert!(!proof.leaves.is_empty());
        } else {
            assert!(proof.leaves.is_empty(), "the halted state needs no leaf");
            assert_eq!(post, end);
        }
    }

    // A state from the trace equals a fresh machine run to the same step.
    let mid = INTERVAL * 3 + 12_345;
    let mut fresh = machine();
    assert_eq!(fresh.run(mid), mid);
    assert_eq!(trace.state_at(mid).unwrap(), fresh.state());
}
