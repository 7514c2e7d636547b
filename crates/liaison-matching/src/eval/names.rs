//! The bundled name data (`data/names/`, see its `SOURCE.md`): Faker's native-script persons per locale and
//! the Wikidata Latin↔native token pairs, parsed into pools the corpus generator draws from.

use std::collections::HashMap;

const FAKER_TSV: &str = include_str!("../../data/names/faker_persons.tsv");
const WIKIDATA_TSV: &str = include_str!("../../data/names/wikidata_pairs.tsv");

/// The scripts of the Wikidata pair files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WikiScript {
    Russian,
    Arabic,
    Hebrew,
    Chinese,
    Katakana,
    Korean,
}

impl WikiScript {
    #[cfg(test)]
    pub const ALL: [WikiScript; 6] = [
        WikiScript::Russian,
        WikiScript::Arabic,
        WikiScript::Hebrew,
        WikiScript::Chinese,
        WikiScript::Katakana,
        WikiScript::Korean,
    ];

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "russian" => WikiScript::Russian,
            "arabic" => WikiScript::Arabic,
            "hebrew" => WikiScript::Hebrew,
            "chinese" => WikiScript::Chinese,
            "katakana" => WikiScript::Katakana,
            "korean" => WikiScript::Korean,
            _ => return None,
        })
    }
}

/// One Faker locale's distinct names, by sex (index 0 female, 1 male), in first-seen order.
#[derive(Debug, Clone, Default)]
pub struct LocalePool {
    pub locale: String,
    pub given: [Vec<String>; 2],
    pub family: [Vec<String>; 2],
    pub patronymic: [Vec<String>; 2],
}

#[derive(Debug, Clone)]
pub struct WikiPair {
    pub latin: String,
    pub native: String,
    pub count: u32,
}

#[derive(Debug, Clone, Default)]
pub struct NameData {
    pub locales: Vec<LocalePool>,
    pub wiki: HashMap<WikiScript, Vec<WikiPair>>,
    /// Native token → its Latin spellings with their Wikidata counts, per script.
    pub wiki_forms: HashMap<(WikiScript, String), Vec<(String, u32)>>,
    /// Lines that could not be read; zero for the bundled files (a test checks it).
    pub skipped_lines: usize,
}

fn push_distinct(list: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() && !list.iter().any(|v| v == value) {
        list.push(value.to_owned());
    }
}

impl NameData {
    pub fn bundled() -> Self {
        Self::parse(FAKER_TSV, WIKIDATA_TSV)
    }

    pub fn parse(faker_tsv: &str, wikidata_tsv: &str) -> Self {
        let mut data = NameData::default();
        for line in faker_tsv.lines().skip(1) {
            let cells: Vec<&str> = line.split('\t').collect();
            let [locale, sex, first, last, middle] = cells[..] else {
                data.skipped_lines += 1;
                continue;
            };
            let sex_index = match sex {
                "F" => 0,
                "M" => 1,
                _ => {
                    data.skipped_lines += 1;
                    continue;
                }
            };
            let index = match data.locales.iter().position(|p| p.locale == locale) {
                Some(index) => index,
                None => {
                    data.locales.push(LocalePool {
                        locale: locale.to_owned(),
                        ..LocalePool::default()
                    });
                    data.locales.len() - 1
                }
            };
            if let Some(pool) = data.locales.get_mut(index) {
                push_distinct(&mut pool.given[sex_index], first);
                push_distinct(&mut pool.family[sex_index], last);
                push_distinct(&mut pool.patronymic[sex_index], middle);
            }
        }
        for line in wikidata_tsv.lines().skip(1) {
            let cells: Vec<&str> = line.split('\t').collect();
            let [script, latin, native, count] = cells[..] else {
                data.skipped_lines += 1;
                continue;
            };
            let (Some(script), Ok(count)) = (WikiScript::parse(script), count.parse::<u32>())
            else {
                data.skipped_lines += 1;
                continue;
            };
            data.wiki.entry(script).or_default().push(WikiPair {
                latin: latin.to_owned(),
                native: native.to_owned(),
                count,
            });
            data.wiki_forms
                .entry((script, native.to_owned()))
                .or_default()
                .push((latin.to_owned(), count));
        }
        data
    }

    pub fn locale(&self, locale: &str) -> Option<&LocalePool> {
        self.locales.iter().find(|p| p.locale == locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_data_reads_cleanly() {
        let data = NameData::bundled();
        assert_eq!(data.skipped_lines, 0);
        assert_eq!(data.locales.len(), 85);
        let ru = data
            .locale("ru_RU")
            .map(|p| p.patronymic[1].len())
            .unwrap_or_default();
        assert!(ru > 10, "{ru}");
        for script in WikiScript::ALL {
            assert!(
                data.wiki.get(&script).is_some_and(|p| p.len() > 1000),
                "{script:?}"
            );
        }
        let muhammad = data
            .wiki_forms
            .get(&(WikiScript::Arabic, "محمد".to_owned()))
            .map(|forms| forms.len())
            .unwrap_or_default();
        assert!(muhammad >= 2, "{muhammad}");
    }

    #[test]
    fn malformed_lines_are_counted_not_fatal() {
        let data = NameData::parse("header\nru_RU\tM\n", "header\nklingon\ta\tb\t1\n");
        assert_eq!(data.skipped_lines, 2);
    }
}
