//! The name and place lists the crate ships (`data/names.tsv`, `data/places.tsv`, see `data/SOURCE.md`),
//! read into per-locale pools with a seeded popularity order: the same seed makes the same names common.

use liaison_matching::eval::rng::{SplitMix64, Zipf};

use crate::ScenarioError;
use crate::locale::LOCALES;

const NAMES_TSV: &str = include_str!("../data/names.tsv");
const PLACES_TSV: &str = include_str!("../data/places.tsv");

/// A list of values drawn with Zipf frequencies: a few very common, a long tail, as in real populations.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    values: Vec<&'static str>,
    zipf: Option<Zipf>,
}

impl Pool {
    fn finish(&mut self, rng: &mut SplitMix64) {
        rng.shuffle(&mut self.values);
        self.zipf = Some(Zipf::new(self.values.len(), 0.9));
    }

    pub fn draw(&self, rng: &mut SplitMix64) -> Option<&'static str> {
        let zipf = self.zipf.as_ref()?;
        self.values.get(zipf.sample(rng)).copied()
    }

    /// Uniformly drawn; for places, which are not Zipf-like at the scale of a list of 50 cities.
    pub fn pick(&self, rng: &mut SplitMix64) -> Option<&'static str> {
        rng.pick(&self.values).copied()
    }

    /// The first value in seeded order: the country's capital, where authorities sit.
    pub fn capital(&self) -> &'static str {
        self.values.first().copied().unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// One locale's pools; index 0 is female, 1 male.
#[derive(Debug, Default)]
pub(crate) struct LocaleNames {
    pub given: [Pool; 2],
    pub family: [Pool; 2],
    pub patronymic: [Pool; 2],
    pub cities: Pool,
    pub streets: Pool,
}

/// Every locale of [`LOCALES`], in the same order.
#[derive(Debug)]
pub(crate) struct NameLists {
    pub locales: Vec<LocaleNames>,
}

impl NameLists {
    pub fn load(seed: u64) -> Result<Self, ScenarioError> {
        let mut locales: Vec<LocaleNames> =
            LOCALES.iter().map(|_| LocaleNames::default()).collect();
        for (file, text, is_names) in [
            ("names.tsv", NAMES_TSV, true),
            ("places.tsv", PLACES_TSV, false),
        ] {
            for (index, line) in text.lines().enumerate().skip(1) {
                let bad = |reason: &str| ScenarioError::Data {
                    file,
                    line: index + 1,
                    reason: reason.to_owned(),
                };
                let mut cells = line.split('\t');
                let (Some(locale), Some(list), Some(value), None) =
                    (cells.next(), cells.next(), cells.next(), cells.next())
                else {
                    return Err(bad("expected three tab-separated columns"));
                };
                let Some(names) = LOCALES
                    .iter()
                    .position(|p| p.id == locale)
                    .and_then(|i| locales.get_mut(i))
                else {
                    return Err(bad("unknown locale"));
                };
                let pool = match (is_names, list) {
                    (true, "given_f") => &mut names.given[0],
                    (true, "given_m") => &mut names.given[1],
                    (true, "family_f") => &mut names.family[0],
                    (true, "family_m") => &mut names.family[1],
                    (true, "patronymic_f") => &mut names.patronymic[0],
                    (true, "patronymic_m") => &mut names.patronymic[1],
                    (false, "city") => &mut names.cities,
                    (false, "street") => &mut names.streets,
                    _ => return Err(bad("unknown list")),
                };
                pool.values.push(value);
            }
        }
        let rng = SplitMix64::new(seed).fork(0x4E41_4D45);
        for (index, (names, profile)) in locales.iter_mut().zip(LOCALES.iter()).enumerate() {
            let mut rng = rng.fork(index as u64);
            for pool in names
                .given
                .iter_mut()
                .chain(names.family.iter_mut())
                .chain(names.patronymic.iter_mut())
                .chain([&mut names.cities, &mut names.streets])
            {
                pool.finish(&mut rng);
            }
            let complete = names.given.iter().all(|p| !p.is_empty())
                && names.family.iter().all(|p| !p.is_empty())
                && !names.cities.is_empty()
                && !names.streets.is_empty();
            if !complete {
                return Err(ScenarioError::Data {
                    file: "names.tsv",
                    line: 0,
                    reason: format!("locale {} lacks a name or place list", profile.id),
                });
            }
        }
        Ok(NameLists { locales })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_every_list() {
        let lists = NameLists::load(1).unwrap();
        assert_eq!(lists.locales.len(), LOCALES.len());
        let ru = &lists.locales[0];
        assert!(ru.patronymic[1].values.len() > 50);
        assert!(ru.family[0].values.len() > 100);
    }

    #[test]
    fn the_seed_decides_which_names_are_common() {
        let a = NameLists::load(1).unwrap();
        let b = NameLists::load(2).unwrap();
        let first = |l: &NameLists| l.locales[0].family[1].values[..5].to_vec();
        assert_eq!(first(&a), first(&NameLists::load(1).unwrap()));
        assert_ne!(first(&a), first(&b));
    }
}
