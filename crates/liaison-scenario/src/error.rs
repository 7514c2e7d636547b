//! The one error type of the scenario generator.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The configuration asks for something the generator cannot make.
    #[error("invalid scenario configuration: {field}: {reason}")]
    Config { field: &'static str, reason: String },
    /// The output directory holds files that are not a previous scenario.
    #[error(
        "{}: the directory is not empty and does not hold a previous scenario ({found}); choose an empty or new directory",
        dir.display()
    )]
    TargetNotEmpty { dir: PathBuf, found: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A bundled data file could not be read; a bug in the build, named so it can be fixed.
    #[error("bundled data {file}, line {line}: {reason}")]
    Data {
        file: &'static str,
        line: usize,
        reason: String,
    },
    /// A value the generator built was refused by the format it is written in; a bug in the generator.
    #[error("generated {what} is not valid: {reason}")]
    Generated { what: String, reason: String },
    /// A worker thread stopped without finishing its country.
    #[error("the generator for {country} stopped unexpectedly")]
    Worker { country: String },
}

impl ScenarioError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ScenarioError::Io {
            path: path.into(),
            source,
        }
    }
}
