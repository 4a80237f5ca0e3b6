//! A recorded run: periodic snapshots from which the state and the proof of any step are
//! produced by replaying at most one snapshot interval, never from step zero.

use crate::machine::Machine;
use crate::memory::{Memory, MemoryError, PageData};
use crate::merkle::Hash;
use crate::proof::StepProof;
use crate::state::{Status, VmState};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Default steps between snapshots: replaying one interval takes tens of milliseconds.
pub const DEFAULT_SNAPSHOT_INTERVAL: u64 = 1 << 24;

/// Errors of trace queries.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// The step lies past the end of a run that did not halt.
    #[error("step {step} is past the recorded run, which stopped at step {end} without halting")]
    PastEnd {
        /// Requested step.
        step: u64,
        /// Last recorded step.
        end: u64,
    },
    /// The step lies before the recording started.
    #[error("step {step} is before the recorded run, which starts at step {start}")]
    BeforeStart {
        /// Requested step.
        step: u64,
        /// First recorded step.
        start: u64,
    },
    /// Memory could not be set up.
    #[error(transparent)]
    Memory(#[from] MemoryError),
}

struct Snapshot {
    pc: u32,
    step: u64,
    status: Status,
    regs: [u32; 32],
    /// Every page written so far; unchanged pages are shared with the previous snapshot.
    pages: BTreeMap<u32, PageData>,
    nodes: Arc<HashMap<u32, Hash>>,
}

/// A run recorded with snapshots every `interval` steps.
pub struct Trace {
    interval: u64,
    code_range: (u32, u32),
    snapshots: Vec<Snapshot>,
    final_state: VmState,
}

fn snapshot(m: &mut Machine, previous: Option<&Snapshot>) -> Snapshot {
    let mut pages = previous.map(|s| s.pages.clone()).unwrap_or_default();
    pages.extend(m.memory_mut().take_changed_pages());
    Snapshot {
        pc: m.pc(),
        step: m.step(),
        status: m.status(),
        regs: m.regs(),
        pages,
        nodes: Arc::new(m.memory_mut().hash_cache()),
    }
}

impl Trace {
    /// Runs `machine` until it halts or `max_steps` ran, snapshotting every `interval` steps.
    pub fn record(mut machine: Machine, max_steps: u64, interval: u64) -> Self {
        let interval = interval.max(1);
        let end = machine.step().saturating_add(max_steps);
        let code_range = machine.code_range();
        let mut snapshots = vec![snapshot(&mut machine, None)];
        while !machine.status().is_halted() && machine.step() < end {
            let chunk = interval.min(end - machine.step());
            machine.run(chunk);
            if !machine.status().is_halted() && machine.step() < end {
                let s = snapshot(&mut machine, snapshots.last());
                snapshots.push(s);
            }
        }
        Self {
            interval,
            code_range,
            snapshots,
            final_state: machine.state(),
        }
    }

    /// The state where the recording stopped.
    pub fn final_state(&self) -> &VmState {
        &self.final_state
    }

    /// Snapshots kept.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// A machine in the state after `step` instructions (a halted run stays at its last state).
    pub fn machine_at(&self, step: u64) -> Result<Machine, TraceError> {
        let end = self.final_state.step;
        if step > end && !self.final_state.status.is_halted() {
            return Err(TraceError::PastEnd { step, end });
        }
        let step = step.min(end);
        let first = self.snapshots[0].step;
        if step < first {
            return Err(TraceError::BeforeStart { step, start: first });
        }
        let index = ((step - first) / self.interval) as usize;
        let s = &self.snapshots[index.min(self.snapshots.len() - 1)];
        let mem = Memory::restore(s.pages.iter().map(|(p, d)| (*p, &**d)), (*s.nodes).clone())?;
        let mut m = Machine::from_parts(mem, s.pc, s.regs, s.step, s.status);
        m.set_code_range(self.code_range.0, self.code_range.1);
        m.run(step - s.step);
        Ok(m)
    }

    /// The state after `step` instructions.
    pub fn state_at(&self, step: u64) -> Result<VmState, TraceError> {
        Ok(self.machine_at(step)?.state())
    }

    /// The proof of the instruction that takes the state at `step` to the state at `step + 1`.
    pub fn prove(&self, step: u64) -> Result<StepProof, TraceError> {
        Ok(self.machine_at(step)?.prove_step())
    }
}
