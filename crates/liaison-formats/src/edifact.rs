//! (in progress)

use crate::ManifestFormat;

pub fn detect_message_type(_input: &[u8]) -> Option<ManifestFormat> {
    None
}
