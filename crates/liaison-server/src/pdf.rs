//! A small PDF writer for the documents a node prints.
