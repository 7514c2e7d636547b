//! The scenario directory: refuses to write over anything but a previous scenario, and writes every file
//! atomically (a temporary file renamed into place), so a reader never sees half a file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::ScenarioError;

/// The file that marks a directory as holding a scenario.
pub const SUMMARY_FILE: &str = "scenario.json";
pub const GROUND_TRUTH_FILE: &str = "ground_truth.json";
pub const RECORDS_DIR: &str = "records";
pub const MANIFESTS_DIR: &str = "manifests";

fn is_scenario_file(dir: &str, name: &str) -> bool {
    let name = name.strip_suffix(".tmp").unwrap_or(name);
    match dir {
        RECORDS_DIR => name.ends_with(".jsonl"),
        MANIFESTS_DIR => name.ends_with(".edi"),
        _ => false,
    }
}

fn names_in(dir: &Path) -> Result<Vec<(String, bool)>, ScenarioError> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| ScenarioError::io(dir, e))? {
        let entry = entry.map_err(|e| ScenarioError::io(dir, e))?;
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        names.push((entry.file_name().to_string_lossy().into_owned(), is_dir));
    }
    names.sort();
    Ok(names)
}

/// Creates `dir` if missing; accepts it when empty or when it holds only a previous scenario, whose record
/// and manifest files are then removed (a new scenario may have fewer countries or flights).
pub(crate) fn prepare(dir: &Path) -> Result<(), ScenarioError> {
    fs::create_dir_all(dir).map_err(|e| ScenarioError::io(dir, e))?;
    let top = names_in(dir)?;
    let mut stale: Vec<PathBuf> = Vec::new();
    let mut foreign: Vec<String> = Vec::new();
    let mut has_summary = false;
    for (name, is_dir) in &top {
        match (name.as_str(), is_dir) {
            (SUMMARY_FILE, false) => has_summary = true,
            (GROUND_TRUTH_FILE, false) => {}
            (n, false) if n.ends_with(".json.tmp") => stale.push(dir.join(n)),
            (sub @ (RECORDS_DIR | MANIFESTS_DIR), true) => {
                for (inner, inner_is_dir) in names_in(&dir.join(sub))? {
                    if !inner_is_dir && is_scenario_file(sub, &inner) {
                        stale.push(dir.join(sub).join(&inner));
                    } else {
                        foreign.push(format!("{sub}/{inner}"));
                    }
                }
            }
            (other, _) => foreign.push(other.to_owned()),
        }
    }
    let previous = has_summary || stale.is_empty() && foreign.is_empty();
    if !foreign.is_empty() || (!previous && !top.is_empty()) {
        let mut found: Vec<String> = if foreign.is_empty() {
            top.iter().map(|(n, _)| n.clone()).collect()
        } else {
            foreign
        };
        let more = found.len().saturating_sub(3);
        found.truncate(3);
        let mut listed = found.join(", ");
        if more > 0 {
            listed.push_str(&format!(" and {more} more"));
        }
        if !has_summary {
            listed.push_str("; no scenario.json");
        }
        return Err(ScenarioError::TargetNotEmpty {
            dir: dir.to_owned(),
            found: listed,
        });
    }
    for path in stale {
        fs::remove_file(&path).map_err(|e| ScenarioError::io(&path, e))?;
    }
    for sub in [RECORDS_DIR, MANIFESTS_DIR] {
        let path = dir.join(sub);
        fs::create_dir_all(&path).map_err(|e| ScenarioError::io(&path, e))?;
    }
    Ok(())
}

/// The temporary name a file is written under before it is renamed to `path`.
pub(crate) fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Moves a finished temporary file into place.
pub(crate) fn commit(path: &Path) -> Result<(), ScenarioError> {
    fs::rename(temporary(path), path).map_err(|e| ScenarioError::io(path, e))
}

/// Writes a whole file atomically.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ScenarioError> {
    let tmp = temporary(path);
    let mut file = fs::File::create(&tmp).map_err(|e| ScenarioError::io(&tmp, e))?;
    file.write_all(bytes)
        .map_err(|e| ScenarioError::io(&tmp, e))?;
    file.sync_all().map_err(|e| ScenarioError::io(&tmp, e))?;
    commit(path)
}
