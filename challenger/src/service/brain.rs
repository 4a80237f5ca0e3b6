//! A game's player on its own thread: it owns the party's computation of the claim (and the VM
//! run of the disputed tile, once the game reaches it) and answers "your move?" for each view of
//! the game.

use std::sync::mpsc;
use std::sync::Arc;

use opml_dnn::exec::Inference;
use opml_dnn::model::Model;
use opml_vm::Program;
use tokio::sync::oneshot;

use crate::game::engine::{GameView, Move, Params};
use crate::game::sim::{Challenger, Choice, Claimant, Lie, Player};
use crate::game::work::{ClaimWork, WorkError};

/// The side a brain plays, and how (anything but `Lie::None` / `Choice::Honest` is an
/// adversary, for demos and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Defends the claim.
    Claimant(Lie),
    /// Attacks it.
    Challenger(Choice),
}

/// Why a brain gave no move.
#[derive(Debug, thiserror::Error)]
pub enum BrainError {
    /// The computation failed (e.g. the VM run of the tile disagrees with the native bytes).
    #[error(transparent)]
    Work(#[from] WorkError),
    /// The brain's thread is gone (it panicked).
    #[error("the game's player thread stopped")]
    Gone,
}

type Ask = (GameView, oneshot::Sender<Result<Option<Move>, WorkError>>);

/// A handle to a player thread.
#[derive(Debug)]
pub struct Brain {
    asks: mpsc::Sender<Ask>,
}

impl Brain {
    /// Starts a player of `side` from the claim's `input` and the party's `inference` of it.
    pub fn spawn(
        model: Arc<Model>,
        program: Arc<Program>,
        params: Params,
        input: Vec<u8>,
        inference: Inference,
        side: Side,
    ) -> Self {
        let (asks, rx) = mpsc::channel::<Ask>();
        std::thread::spawn(move || {
            let work = ClaimWork {
                model: &model,
                input,
                inference,
            };
            let mut player: Box<dyn Player + '_> = match side {
                Side::Claimant(lie) => Box::new(Claimant::new(params, &work, &program, lie, 1)),
                Side::Challenger(choice) => {
                    Box::new(Challenger::new(params, &work, &program, choice, 2))
                }
            };
            while let Ok((view, reply)) = rx.recv() {
                let _ = reply.send(player.next_move(&view));
            }
        });
        Self { asks }
    }

    /// The player's move in `view`, if it has one.
    pub async fn next_move(&self, view: GameView) -> Result<Option<Move>, BrainError> {
        let (tx, rx) = oneshot::channel();
        self.asks.send((view, tx)).map_err(|_| BrainError::Gone)?;
        Ok(rx.await.map_err(|_| BrainError::Gone)??)
    }
}
