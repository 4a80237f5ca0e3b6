//! The service's embedded database (redb): the next block to process, the claims it has seen
//! and the games it plays. Every write is one transaction, so a crash loses nothing that was
//! acknowledged.

use std::path::Path;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const CLAIMS: TableDefinition<u64, &[u8]> = TableDefinition::new("claims");
const GAMES: TableDefinition<u64, &[u8]> = TableDefinition::new("games");

/// A database failure.
#[derive(Debug, thiserror::Error)]
#[error("database: {0}")]
pub struct StoreError(String);

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

/// What the service knows of a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRecord {
    /// Registered model id.
    pub model: u64,
    /// Request id (0: none).
    pub request: u64,
    /// Who claimed.
    pub claimant: [u8; 20],
    /// The claimed input.
    pub input: Vec<u8>,
    /// The claimed output.
    pub output: Vec<u8>,
    /// The claimed final graph-state root.
    pub final_root: [u8; 32],
    /// Whether this service made the claim.
    pub ours: bool,
    /// Our verdict: `Some(true)` agrees, `Some(false)` disagrees, `None` not checked (a model
    /// this service does not hold).
    pub agrees: Option<bool>,
    /// Whether the claim is settled (final or defeated), or past its window unchallenged.
    pub settled: bool,
    /// The block of its `ClaimSubmitted` event.
    #[serde(default)]
    pub block: u64,
}

impl ClaimRecord {
    /// Whether `other` records the same claim (the event's fields, not the verdict).
    pub fn same_claim(&self, other: &ClaimRecord) -> bool {
        (
            self.model,
            self.request,
            self.claimant,
            &self.input,
            &self.output,
            self.final_root,
        ) == (
            other.model,
            other.request,
            other.claimant,
            &other.input,
            &other.output,
            other.final_root,
        )
    }
}

/// A game this service plays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameRecord {
    /// The disputed claim.
    pub claim: u64,
    /// Whether this service is the claimant (else the challenger).
    pub claimant: bool,
    /// The pending revealed list, from the last reveal event.
    pub revealed: Option<Vec<[u8; 32]>>,
    /// Moves this service made.
    pub moves: u32,
    /// `Some(claimant_won)` once ended.
    pub ended: Option<bool>,
    /// The block of the disputed claim (where to look for the game's events).
    #[serde(default)]
    pub block: u64,
}

/// The database.
#[derive(Debug)]
pub struct Store {
    db: Database,
}

impl Store {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let db = Database::create(path).map_err(err)?;
        let tx = db.begin_write().map_err(err)?;
        {
            tx.open_table(META).map_err(err)?;
            tx.open_table(CLAIMS).map_err(err)?;
            tx.open_table(GAMES).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(Self { db })
    }

    /// A named number (`None` if never set).
    pub fn meta(&self, key: &str) -> Result<Option<u64>, StoreError> {
        let tx = self.db.begin_read().map_err(err)?;
        let t = tx.open_table(META).map_err(err)?;
        Ok(t.get(key).map_err(err)?.map(|v| v.value()))
    }

    /// Sets a named number.
    pub fn set_meta(&self, key: &str, value: u64) -> Result<(), StoreError> {
        let tx = self.db.begin_write().map_err(err)?;
        tx.open_table(META)
            .map_err(err)?
            .insert(key, value)
            .map_err(err)?;
        tx.commit().map_err(err)
    }

    fn get<T: DeserializeOwned>(
        &self,
        table: TableDefinition<u64, &[u8]>,
        id: u64,
    ) -> Result<Option<T>, StoreError> {
        let tx = self.db.begin_read().map_err(err)?;
        let t = tx.open_table(table).map_err(err)?;
        let Some(v) = t.get(id).map_err(err)? else {
            return Ok(None);
        };
        serde_json::from_slice(v.value()).map(Some).map_err(err)
    }

    fn put<T: Serialize>(
        &self,
        table: TableDefinition<u64, &[u8]>,
        id: u64,
        value: &T,
    ) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(value).map_err(err)?;
        let tx = self.db.begin_write().map_err(err)?;
        tx.open_table(table)
            .map_err(err)?
            .insert(id, bytes.as_slice())
            .map_err(err)?;
        tx.commit().map_err(err)
    }

    fn all<T: DeserializeOwned>(
        &self,
        table: TableDefinition<u64, &[u8]>,
    ) -> Result<Vec<(u64, T)>, StoreError> {
        let tx = self.db.begin_read().map_err(err)?;
        let t = tx.open_table(table).map_err(err)?;
        t.iter()
            .map_err(err)?
            .map(|kv| {
                let (k, v) = kv.map_err(err)?;
                Ok((k.value(), serde_json::from_slice(v.value()).map_err(err)?))
            })
            .collect()
    }

    /// Claim `id`.
    pub fn claim(&self, id: u64) -> Result<Option<ClaimRecord>, StoreError> {
        self.get(CLAIMS, id)
    }

    /// Records claim `id`.
    pub fn put_claim(&self, id: u64, claim: &ClaimRecord) -> Result<(), StoreError> {
        self.put(CLAIMS, id, claim)
    }

    /// Every claim recorded.
    pub fn claims(&self) -> Result<Vec<(u64, ClaimRecord)>, StoreError> {
        self.all(CLAIMS)
    }

    /// Game `id`.
    pub fn game(&self, id: u64) -> Result<Option<GameRecord>, StoreError> {
        self.get(GAMES, id)
    }

    /// Records game `id`.
    pub fn put_game(&self, id: u64, game: &GameRecord) -> Result<(), StoreError> {
        self.put(GAMES, id, game)
    }

    /// Every game recorded.
    pub fn games(&self) -> Result<Vec<(u64, GameRecord)>, StoreError> {
        self.all(GAMES)
    }
}
