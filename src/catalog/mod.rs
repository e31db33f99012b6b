//! The price catalog: instance specifications and per-region price tables, every row with its
//! source, as-of date and confidence. Built into the binary from `assets/pricing/*.ron`.
//!
//! A price is `Option<f64>`: `None` is a gap in the sources that the user must fill
//! (scenario `pricing.overrides`); the engine never substitutes a guess.

pub mod availability;
pub mod import;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Hours billed per month (8 760 h / 12), the convention of AWS calculators and Infracost.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// How far a price can be trusted (see `assets/pricing/sources.ron`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Confidence {
    /// Dated machine-readable source, cross-checked.
    A,
    /// Older machine-readable snapshot (2021–2022).
    B,
    /// Third-party page only.
    C,
    /// Derived by stated arithmetic from another row.
    D,
    /// Supplied by the user in the scenario.
    User,
}

/// One price row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// USD per `unit`; `None` = unknown (a gap in the sources).
    pub usd: Option<f64>,
    pub unit: String,
    /// Source id (see [`Catalog::sources`]) or, for user overrides, the user's own text.
    pub source: String,
    pub as_of: String,
    #[serde(default)]
    pub confidence: Option<Confidence>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2Spec {
    pub vcpu: u32,
    pub memory_gib: f64,
    /// CPU architecture (images must be built for it: Graviton types are `Arm64`).
    pub arch: Arch,
    /// (max ENIs, IPv4 addresses per ENI) for the EKS maxPods formula (the upstream
    /// `instance-info.jsonl`); required: a type without it does not load.
    pub enis: (u32, u32),
    pub source: String,
}

/// A node's CPU architecture, as Kubernetes labels it (`kubernetes.io/arch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arch {
    Amd64,
    Arm64,
}

impl Arch {
    pub fn label(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    pub vcpu: u32,
    pub memory_gib: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Specs {
    ec2: BTreeMap<String, Ec2Spec>,
    rds: BTreeMap<String, ClassSpec>,
    cache: BTreeMap<String, ClassSpec>,
}

/// Prices of one region (or `"global"` for organisation-wide services).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    pub region: String,
    pub prices: BTreeMap<String, Price>,
    /// Sources this table's rows cite besides the shipped ones (an imported table names its
    /// offer files here).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, Source>,
}

/// Everything the engine knows about instances and prices.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    pub sources: BTreeMap<String, Source>,
    pub ec2: BTreeMap<String, Ec2Spec>,
    pub rds: BTreeMap<String, ClassSpec>,
    pub cache: BTreeMap<String, ClassSpec>,
    /// Keyed by region name; `"global"` holds organisation-wide services.
    pub tables: BTreeMap<String, PriceTable>,
}

/// How much of a region's price table is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub region: String,
    pub known: usize,
    pub unknown: usize,
    /// As-of dates of the known prices (empty when none is known).
    pub oldest: String,
    pub newest: String,
}

/// One price row with its source's title: as `headroom prices --region R` lists it, and as a
/// plan records each price it used (`money::ledger::PriceUsed`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceRow {
    pub region: String,
    pub key: String,
    pub usd: Option<f64>,
    pub unit: String,
    pub source: String,
    pub source_title: String,
    pub as_of: String,
    pub confidence: Option<Confidence>,
    pub note: String,
}

/// Region name of the table with organisation-wide services (Shield Advanced, Route 53).
pub const GLOBAL: &str = "global";

const SOURCES: &str = include_str!("../../assets/pricing/sources.ron");
const INSTANCES: &str = include_str!("../../assets/pricing/instances.ron");
const TABLES: [(&str, &str); 8] = [
    ("aws-global.ron", include_str!("../../assets/pricing/aws-global.ron")),
    ("aws-ap-northeast-1.ron", include_str!("../../assets/pricing/aws-ap-northeast-1.ron")),
    ("aws-ap-southeast-2.ron", include_str!("../../assets/pricing/aws-ap-southeast-2.ron")),
    ("aws-eu-central-1.ron", include_str!("../../assets/pricing/aws-eu-central-1.ron")),
    ("aws-eu-west-1.ron", include_str!("../../assets/pricing/aws-eu-west-1.ron")),
    ("aws-us-east-2.ron", include_str!("../../assets/pricing/aws-us-east-2.ron")),
    ("aws-us-east-1.ron", include_str!("../../assets/pricing/aws-us-east-1.ron")),
    ("aws-us-west-2.ron", include_str!("../../assets/pricing/aws-us-west-2.ron")),
];

impl Catalog {
    /// The catalog shipped in `assets/pricing/`, parsed once.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            // The assets are part of the build and checked by tests; failing here is a bug in
            // the shipped data, not bad user input.
            Catalog::parse(SOURCES, INSTANCES, &TABLES).expect("built-in price catalog is valid")
        })
    }

    /// Build a catalog from RON texts (sources, instance specs, `(file name, table)` pairs).
    pub fn parse(sources: &str, instances: &str, tables: &[(&str, &str)]) -> Result<Catalog, CatalogError> {
        let at = |file: &str, e: ron::error::SpannedError| CatalogError::Syntax {
            file: file.to_string(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        };
        let opts = ron_options();
        let sources: BTreeMap<String, Source> = opts.from_str(sources).map_err(|e| at("sources.ron", e))?;
        let specs: Specs = opts.from_str(instances).map_err(|e| at("instances.ron", e))?;
        let mut cat = Catalog { sources, ec2: specs.ec2, rds: specs.rds, cache: specs.cache, tables: BTreeMap::new() };
        for (file, text) in tables {
            let t: PriceTable = opts.from_str(text).map_err(|e| at(file, e))?;
            cat.check_table(file, &t)?;
            cat.sources.extend(t.sources.clone());
            cat.tables.insert(t.region.clone(), t);
        }
        Ok(cat)
    }

    /// Every row cites a known source (shipped or the table's own) and has a confidence tag
    /// exactly when it has a price.
    fn check_table(&self, file: &str, t: &PriceTable) -> Result<(), CatalogError> {
        for (key, p) in &t.prices {
            if !self.sources.contains_key(&p.source) && !t.sources.contains_key(&p.source) {
                return Err(CatalogError::UnknownSource {
                    file: file.to_string(),
                    key: key.clone(),
                    id: p.source.clone(),
                });
            }
            if p.usd.is_some() == p.confidence.is_none() {
                return Err(CatalogError::Confidence { file: file.to_string(), key: key.clone() });
            }
            if p.usd.is_some_and(|x| !x.is_finite() || x < 0.0) {
                return Err(CatalogError::Price { file: file.to_string(), key: key.clone() });
            }
        }
        Ok(())
    }

    /// This catalog with a price table (RON text, e.g. written by `headroom prices import`)
    /// laid over it: for its region, each row with a price replaces the shipped row of that
    /// key, and rows the shipped table lacks are added (gaps included); a shipped price is
    /// never replaced by a gap. A region the catalog lacks is added whole.
    pub fn with_table(&self, file: &str, text: &str) -> Result<Catalog, CatalogError> {
        let t: PriceTable = ron_options().from_str(text).map_err(|e| CatalogError::Syntax {
            file: file.to_string(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        })?;
        if t.region == GLOBAL {
            return Err(CatalogError::Region { file: file.to_string(), region: t.region });
        }
        self.check_table(file, &t)?;
        let mut cat = self.clone();
        cat.sources.extend(t.sources.clone());
        let base = cat.tables.entry(t.region.clone()).or_insert_with(|| PriceTable {
            region: t.region.clone(),
            prices: BTreeMap::new(),
            sources: BTreeMap::new(),
        });
        for (key, p) in t.prices {
            let keep_shipped = p.usd.is_none() && base.prices.get(&key).is_some_and(|old| old.usd.is_some());
            if !keep_shipped {
                base.prices.insert(key, p);
            }
        }
        Ok(cat)
    }

    /// This catalog with the tables a scenario names (`pricing.tables`) laid over it, in order;
    /// `read` gives a table's text by its name (the caller resolves it against the scenario's
    /// folder). No tables: the catalog itself, not a copy.
    pub fn with_tables<'a>(
        &'a self,
        names: &[String],
        read: &mut dyn FnMut(&str) -> Result<String, String>,
    ) -> Result<std::borrow::Cow<'a, Catalog>, String> {
        let mut cat = std::borrow::Cow::Borrowed(self);
        for (i, name) in names.iter().enumerate() {
            let text = read(name).map_err(|e| format!("pricing.tables[{i}] {name:?}: {e}"))?;
            cat =
                std::borrow::Cow::Owned(cat.with_table(name, &text).map_err(|e| format!("pricing.tables[{i}]: {e}"))?);
        }
        Ok(cat)
    }

    /// Per region (global last): how many keys have a price and how many are gaps, and the
    /// oldest and newest as-of dates of the known prices.
    pub fn coverage(&self) -> Vec<Coverage> {
        let mut out: Vec<Coverage> = self
            .tables
            .values()
            .map(|t| {
                let dates = || t.prices.values().filter(|p| p.usd.is_some()).map(|p| p.as_of.as_str());
                Coverage {
                    region: t.region.clone(),
                    known: t.prices.values().filter(|p| p.usd.is_some()).count(),
                    unknown: t.prices.values().filter(|p| p.usd.is_none()).count(),
                    oldest: dates().min().unwrap_or_default().to_string(),
                    newest: dates().max().unwrap_or_default().to_string(),
                }
            })
            .collect();
        out.sort_by_key(|c| (c.region == GLOBAL, c.region.clone()));
        out
    }

    /// Every row of `region` with its source's title, in key order.
    pub fn rows(&self, region: &str) -> Vec<PriceRow> {
        self.tables.get(region).map_or_else(Vec::new, |t| {
            t.prices
                .iter()
                .map(|(key, p)| PriceRow {
                    region: t.region.clone(),
                    key: key.clone(),
                    usd: p.usd,
                    unit: p.unit.clone(),
                    source: p.source.clone(),
                    source_title: self.sources.get(&p.source).map(|s| s.title.clone()).unwrap_or_default(),
                    as_of: p.as_of.clone(),
                    confidence: p.confidence,
                    note: p.note.clone(),
                })
                .collect()
        })
    }

    /// The price row `key` in `region`, if the catalog has the row at all.
    pub fn price(&self, region: &str, key: &str) -> Option<&Price> {
        self.tables.get(region)?.prices.get(key)
    }

    /// Regions with a price table (excluding `global`).
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str).filter(|r| *r != GLOBAL)
    }
}

/// The up to three known names closest to `name` (for "did you mean" messages).
pub fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = known.map(|k| (strsim::normalized_damerau_levenshtein(name, k), k)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

/// Why a price table could not be read: the file, and the line and column or the price key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("{file}:{line}:{col}: {message}")]
    Syntax { file: String, line: usize, col: usize, message: String },
    #[error("{file}: {key}: unknown source id {id:?}")]
    UnknownSource { file: String, key: String, id: String },
    #[error("{file}: {key}: a price needs a confidence tag and a gap must not have one")]
    Confidence { file: String, key: String },
    #[error("{file}: {key}: a price must be a finite number of dollars, 0 or more")]
    Price { file: String, key: String },
    #[error("{file}: region {region:?}: a price table names one AWS region (global prices ship with Headroom)")]
    Region { file: String, region: String },
}

/// RON as Headroom reads it: optional fields may be written bare (`max_pods: 58`, no `Some(…)`).
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_parses_with_sourced_rows() {
        let c = Catalog::builtin();
        assert_eq!(
            c.regions().collect::<Vec<_>>(),
            ["ap-northeast-1", "ap-southeast-2", "eu-central-1", "eu-west-1", "us-east-1", "us-east-2", "us-west-2"]
        );
        // aws-pricing.md §2: m5.xlarge us-east-1 on-demand $0.1920/h (S1, 2026-07-20).
        let p = c.price("us-east-1", "ec2.m5.xlarge").unwrap();
        assert_eq!(p.usd, Some(0.192));
        assert_eq!((p.source.as_str(), p.as_of.as_str()), ("S1", "2026-07-20"));
        // §4.1: Multi-AZ db.r5.large = 2 × $0.250 = $0.500/h, derived [D].
        let p = c.price("us-east-1", "rds.postgres.multi_az.db.r5.large").unwrap();
        assert_eq!((p.usd, p.confidence), (Some(0.5), Some(Confidence::D)));
        // §2: m7g.xlarge in us-west-2 is a gap and must stay one (no public figure read).
        assert_eq!(c.price("us-west-2", "ec2.m7g.xlarge").unwrap().usd, None);
        // EKS in us-west-2: AWS states the fee without a region (S14), derived [D].
        let p = c.price("us-west-2", "eks.cluster").unwrap();
        assert_eq!((p.usd, p.source.as_str(), p.confidence), (Some(0.1), "S14", Some(Confidence::D)));
    }

    /// An instance type without its ENI data does not load (no 110-pod fallback): the error
    /// names the file, line and the missing field.
    #[test]
    fn an_instance_without_eni_data_does_not_load() {
        let instances = INSTANCES.replacen(
            "arch: Amd64, enis: (4, 15), source: \"S2; ENIs K1\"),\n        \"c5.2xlarge\"",
            "arch: Amd64, source: \"S2\"),\n        \"c5.2xlarge\"",
            1,
        );
        assert_ne!(instances, INSTANCES);
        let e = Catalog::parse(SOURCES, &instances, &[]).unwrap_err().to_string();
        let line = INSTANCES.lines().position(|l| l.contains("\"c5.xlarge\"")).unwrap() + 1;
        assert!(e.contains(&format!("instances.ron:{line}:")) && e.contains("enis"), "{e}");
    }

    /// Every EC2 type's max pods from its ENI data equals the `pods` capacity Karpenter documents
    /// for it (S2: karpenter-provider-aws website/content/en/docs/reference/instance-types.md,
    /// 2026-07-11), and the catalog holds exactly the types of that table.
    #[test]
    fn max_pods_match_the_published_table() {
        let published = [
            ("m5.large", 29),
            ("m5.xlarge", 58),
            ("m5.2xlarge", 58),
            ("m5.4xlarge", 234),
            ("m6i.large", 29),
            ("m6i.xlarge", 58),
            ("m6i.2xlarge", 58),
            ("m6i.4xlarge", 234),
            ("m7i.large", 29),
            ("m7i.xlarge", 58),
            ("m7i.2xlarge", 58),
            ("m7i.4xlarge", 234),
            ("m6g.large", 29),
            ("m6g.xlarge", 58),
            ("m6g.2xlarge", 58),
            ("m6g.4xlarge", 234),
            ("m7g.large", 29),
            ("m7g.xlarge", 58),
            ("m7g.2xlarge", 58),
            ("m7g.4xlarge", 234),
            ("c5.large", 29),
            ("c5.xlarge", 58),
            ("c5.2xlarge", 58),
            ("c5.4xlarge", 234),
            ("c6i.large", 29),
            ("c6i.xlarge", 58),
            ("c6i.2xlarge", 58),
            ("c6i.4xlarge", 234),
            ("c7g.large", 29),
            ("c7g.xlarge", 58),
            ("c7g.2xlarge", 58),
            ("c7g.4xlarge", 234),
            ("r5.large", 29),
            ("r5.xlarge", 58),
            ("r5.2xlarge", 58),
            ("r5.4xlarge", 234),
            ("r6i.large", 29),
            ("r6i.xlarge", 58),
            ("r6i.2xlarge", 58),
            ("r6i.4xlarge", 234),
            ("r7g.large", 29),
            ("r7g.xlarge", 58),
            ("r7g.2xlarge", 58),
            ("r7g.4xlarge", 234),
            ("t3.large", 35),
            ("t3.xlarge", 58),
            ("t3.2xlarge", 58),
        ];
        let c = Catalog::builtin();
        assert_eq!(c.ec2.len(), published.len());
        for (t, pods) in published {
            let spec = &c.ec2[t];
            assert_eq!(crate::engine::k8s::eks_max_pods(spec), pods, "{t}");
        }
        // Graviton types are Arm64.
        assert_eq!(c.ec2["m7g.xlarge"].arch, Arch::Arm64);
        assert_eq!(c.ec2["m7i.xlarge"].arch, Arch::Amd64);
    }

    #[test]
    fn every_region_has_the_same_rows() {
        let c = Catalog::builtin();
        let east: Vec<_> = c.tables["us-east-1"].prices.keys().collect();
        for r in c.regions() {
            assert_eq!(east, c.tables[r].prices.keys().collect::<Vec<_>>(), "{r}");
        }
        // S3 @136b6119 m5.xlarge Linux on-demand: Frankfurt $0.230, Sydney $0.240, Tokyo $0.248,
        // Ohio $0.192; S4 db.r5.large PostgreSQL Frankfurt $0.305.
        let at = |r: &str, k: &str| c.price(r, k).unwrap().usd;
        assert_eq!(
            ["eu-central-1", "ap-southeast-2", "ap-northeast-1", "us-east-2"].map(|r| at(r, "ec2.m5.xlarge")),
            [Some(0.23), Some(0.24), Some(0.248), Some(0.192)]
        );
        assert_eq!(at("eu-central-1", "rds.postgres.single_az.db.r5.large"), Some(0.305));
        // eu-west-1 (aws-pricing.md §2, §4.1, §5): m5.xlarge $0.214 on-demand, 1-yr RI $0.135;
        // db.r5.large Single-AZ $0.280, Multi-AZ 2 × = $0.560 [D]; cache.r5.large $0.241.
        let eu = |k: &str| c.price("eu-west-1", k).unwrap().usd;
        assert_eq!((eu("ec2.m5.xlarge"), eu("ec2.ri1y_nu.m5.xlarge")), (Some(0.214), Some(0.135)));
        assert_eq!(eu("rds.postgres.multi_az.db.r5.large"), Some(0.56));
        assert_eq!(eu("elasticache.cache.r5.large"), Some(0.241));
        assert_eq!(eu("alb.hour"), None, "a gap in the sources stays a gap");
    }

    #[test]
    fn closest_names_rank_typos_first() {
        let c = Catalog::builtin();
        let near = closest("m5.xlarg", c.ec2.keys().map(String::as_str));
        assert_eq!(near[0], "m5.xlarge");
    }
}
