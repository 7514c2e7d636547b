//! Generates small scenarios once per configuration and reads them back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use liaison_scenario::{ScenarioConfig, ScenarioSummary, generate_to_dir};
use serde_json::Value;

pub struct Generated {
    pub dir: tempfile::TempDir,
    pub summary: ScenarioSummary,
}

impl Generated {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn truth(&self) -> Value {
        let text = std::fs::read_to_string(self.path().join("ground_truth.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

pub fn generate(seed: u64, countries: usize, persons: usize) -> Generated {
    let dir = tempfile::tempdir().unwrap();
    let config = ScenarioConfig::new(seed, countries, persons);
    let summary = generate_to_dir(&config, dir.path(), &mut |_| {}).unwrap();
    Generated { dir, summary }
}

/// Every file under `dir`, relative path → bytes.
pub fn all_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_owned(), bytes);
            }
        }
    }
    out
}

/// The ids per record type in one records file.
pub struct RecordsFile {
    pub ids: BTreeMap<String, BTreeSet<String>>,
}

pub fn read_records(path: &Path) -> RecordsFile {
    let text = std::fs::read_to_string(path).unwrap();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let value: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}: line {}: {e}", path.display(), n + 1));
        if n == 0 {
            assert_eq!(value, serde_json::json!({"liaison_format": 1}));
            continue;
        }
        let kind = value["type"].as_str().unwrap().to_owned();
        let id = value["id"].as_str().unwrap().to_owned();
        assert!(
            ids.entry(kind.clone()).or_default().insert(id.clone()),
            "{}: duplicate {kind} id {id}",
            path.display()
        );
    }
    RecordsFile { ids }
}
