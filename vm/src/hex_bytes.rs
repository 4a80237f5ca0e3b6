//! serde helpers: byte strings as `0x`-prefixed hex.

use serde::{Deserialize, Deserializer, Serializer};

/// Serializes bytes as `0x…`.
pub(crate) fn serialize<S: Serializer, T: AsRef<[u8]>>(bytes: T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("0x{}", hex::encode(bytes)))
}

fn parse(text: &str) -> Result<Vec<u8>, String> {
    hex::decode(text.strip_prefix("0x").unwrap_or(text)).map_err(|e| e.to_string())
}

/// Deserializes `0x…` into a fixed-size or growable byte container.
pub(crate) fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<Vec<u8>>,
{
    let bytes = parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)?;
    T::try_from(bytes).map_err(|_| serde::de::Error::custom("wrong byte length"))
}

/// Lists of 32-byte hashes as lists of `0x…` strings.
pub(crate) mod list {
    use super::*;
    use crate::merkle::Hash;
    use serde::ser::SerializeSeq;

    pub(crate) fn serialize<S: Serializer>(items: &[Hash], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(items.len()))?;
        for h in items {
            seq.serialize_element(&format!("0x{}", hex::encode(h)))?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Hash>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|t| {
                parse(t)
                    .map_err(serde::de::Error::custom)?
                    .try_into()
                    .map_err(|_| serde::de::Error::custom("hash must be 32 bytes"))
            })
            .collect()
    }
}
