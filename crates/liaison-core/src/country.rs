//! Country codes as travel documents and police records carry them: ISO 3166-1 alpha-3, ICAO 9303's own codes
//! (`D` for Germany, the British `GB.` codes, UN and stateless/refugee codes), and user-assigned `X..` codes
//! that exercises and fictional nodes use.

use crate::ValidationError;

/// ISO 3166-1 alpha-3 codes, sorted for binary search.
const ISO_ALPHA3: &[&str] = &[
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF",
    "ZMB", "ZWE",
];

/// Codes ICAO Doc 9303 Part 3 uses beside ISO 3166-1, sorted.
const ICAO_SPECIAL: &[&str] = &[
    "ANT", // Netherlands Antilles (historic documents)
    "D",   // Germany
    "EUE", // European Union
    "GBD", // British Overseas Territories citizen
    "GBN", // British National (Overseas)
    "GBO", // British Overseas citizen
    "GBP", // British protected person
    "GBS", // British subject
    "NTZ", // Neutral Zone
    "RKS", // Kosovo
    "UNA", // specialized agency of the United Nations
    "UNK", // resident of Kosovo, UN interim administration
    "UNO", // United Nations Organization
    "UTO", // Utopia, the fictional state of ICAO 9303 specimen documents
    "ZIM", // Zimbabwe (historic documents)
];

/// A country (or issuing organisation) code as ICAO 9303 and police records use it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(String);

impl CountryCode {
    /// Accepts upper-case codes only: travel documents and the interchange format are upper case, and
    /// silently folding case would hide a broken exporter.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let known = ISO_ALPHA3.binary_search(&value).is_ok()
            || ICAO_SPECIAL.binary_search(&value).is_ok()
            || is_user_assigned(value);
        if known {
            Ok(CountryCode(value.to_owned()))
        } else {
            Err(ValidationError::Country {
                value: value.to_owned(),
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for user-assigned codes (`XAA`..`XZZ`, which include ICAO's `XXA` stateless, `XXB`/`XXC` refugee,
    /// `XXX` unspecified and organisation codes such as `XPO`), used by fictional exercise countries.
    pub fn is_user_assigned(&self) -> bool {
        is_user_assigned(&self.0)
    }
}

fn is_user_assigned(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 3 && b[0] == b'X' && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(ISO_ALPHA3.windows(2).all(|w| w[0] < w[1]));
        assert!(ICAO_SPECIAL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ISO_ALPHA3.len(), 249);
    }

    #[test]
    fn accepts_iso_icao_and_user_assigned() {
        for code in [
            "RUS", "DEU", "D", "UTO", "GBD", "UNO", "XXA", "XXB", "XAA", "XCC", "EUE", "RKS",
        ] {
            assert!(CountryCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn refuses_unknown_and_lower_case() {
        for code in ["", "RU", "rus", "ZZZ", "UTOPIA", "DE", "DEUT", "X1A", "Xaa"] {
            let err = CountryCode::parse(code).unwrap_err();
            assert!(err.to_string().contains("country code"), "{code}: {err}");
        }
    }
}
