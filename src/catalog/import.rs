//! Reading AWS Price List offer files into a Headroom price table.
//!
//! The files are the Price List Bulk API's per-service, per-region offer files as a user
//! downloads them (`…/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.json` or `index.csv`),
//! in the format AWS documents in the Billing user guide ("Reading the service price list
//! file"): JSON with `offerCode`, `version`, `publicationDate`, then `products` (SKU → product
//! family and attributes) and `terms` (`OnDemand` / `Reserved` → SKU → offer term → price
//! dimensions with `unit`, `beginRange` and `pricePerUnit.USD`, and for reserved terms
//! `termAttributes` with `LeaseContractLength`, `OfferingClass`, `PurchaseOption`); or CSV with
//! five metadata rows (FormatVersion, Disclaimer, Publication Date, Version, OfferCode), a
//! header and one row per price dimension.
//!
//! Files stream: a product is kept only when it maps to a Headroom price key (a few hundred per
//! region), and only the terms of kept products are read, so a 2 GB EC2 file imports in bounded
//! memory. Attribute names are compared without case, spaces or punctuation, so the JSON's
//! `preInstalledSw` and the CSV's `Pre Installed S/W` are the same attribute.
//!
//! Which products map to which key is [`classify`]: the filters the planner's price keys mean
//! (Linux, shared tenancy, no pre-installed software, capacity used; PostgreSQL; Redis; gp3; …).
//! A price list unit the rule does not expect leaves the key a gap and says so: a price is never
//! converted on a guess. Sans-IO: the caller opens the files and writes the table.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};

use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::{Catalog, Confidence, Price, PriceTable, Source};

/// Hours in a year of a reserved term (AWS amortises upfront fees over 8 760 h a year).
const HOURS_PER_YEAR: f64 = 8760.0;

/// What an import found, before it is written as a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub region: String,
    /// The offer files read, in order.
    pub offers: Vec<Offer>,
    /// Price key → the row written for it.
    pub rows: BTreeMap<String, Found>,
    /// What could not be mapped, in the order met (unexpected units, several prices for one key).
    pub problems: Vec<String>,
}

/// One offer file.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub file: String,
    pub offer_code: String,
    pub version: String,
    pub publication_date: String,
    /// Products in the file, and those that map to a price key.
    pub products: u64,
    pub matched: u64,
    /// Matched products of another region (skipped).
    pub other_region: u64,
}

impl Offer {
    /// The source id its rows cite, e.g. `PL-AmazonEC2-20261120000000`.
    pub fn source_id(&self) -> String {
        format!("PL-{}-{}", self.offer_code, self.version)
    }
}

/// One imported price.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub usd: f64,
    /// Index into [`Imported::offers`].
    pub offer: usize,
    pub sku: String,
    /// The price dimension's rate code (`SKU.OFFERTERM.RATE`).
    pub rate_code: String,
    /// The term's effective date (YYYY-MM-DD), or the file's publication date.
    pub as_of: String,
    /// How the number was derived from the file (conversions, tiers, alternatives).
    pub note: String,
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {message}")]
    Format { file: String, message: String },
    #[error("{file}: {source}")]
    Read { file: String, source: std::io::Error },
    #[error("{0}")]
    Region(String),
}

/// The importer: feed it offer files one by one, then [`Importer::finish`].
pub struct Importer<'c> {
    cat: &'c Catalog,
    region: Option<String>,
    offers: Vec<Offer>,
    /// Per key: every candidate (a product's price) met, to pick one and report alternatives.
    candidates: BTreeMap<String, Vec<Found>>,
    problems: Vec<String>,
}

/// A product's attributes, names normalised (lower case, letters and digits only).
type Attrs = BTreeMap<String, String>;

/// Lower case, letters and digits only: `Pre Installed S/W` → `preinstalledsw`.
fn norm(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Which tier of a tiered price a key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    /// The dimension starting at 0.
    First,
    /// The lowest tier with a non-zero price (a free allowance is skipped).
    FirstPaid,
}

/// What a kept product's terms become.
#[derive(Debug, Clone, PartialEq)]
struct Match {
    /// The on-demand price's key, its accepted units (normalised), a factor into the key's
    /// unit, the tier, and how the factor reads in the row's note.
    key: String,
    units: &'static [&'static str],
    scale: f64,
    tier: Tier,
    conversion: &'static str,
    /// For instance and node types: the reserved keys' service prefix and type
    /// (`ec2`, `m5.large` → `ec2.ri1y_nu.m5.large`, …).
    reserved: Option<(&'static str, String)>,
}

impl Match {
    fn new(key: String, units: &'static [&'static str]) -> Match {
        Match { key, units, scale: 1.0, tier: Tier::First, conversion: "", reserved: None }
    }
    fn scaled(mut self, scale: f64, conversion: &'static str) -> Match {
        self.scale = scale;
        self.conversion = conversion;
        self
    }
    fn tier(mut self, tier: Tier) -> Match {
        self.tier = tier;
        self
    }
}

const HRS: &[&str] = &["hrs", "hours", "hour"];
const GB_MO: &[&str] = &["gbmo", "gbmonth"];
const GB: &[&str] = &["gb"];

/// The price key a product means, if any (the planner's rows; see `assets/pricing/`).
fn classify(cat: &Catalog, offer: &str, family: &str, a: &Attrs) -> Option<Match> {
    let at = |k: &str| a.get(k).map(String::as_str).unwrap_or("");
    let usage = at("usagetype");
    let service = if at("servicecode").is_empty() { offer } else { at("servicecode") };
    match (service, family) {
        ("AmazonEC2", "Compute Instance") => {
            let t = at("instancetype");
            let linux = at("operatingsystem") == "Linux"
                && at("tenancy") == "Shared"
                && at("preinstalledsw") == "NA"
                && at("licensemodel") == "No License required"
                && at("capacitystatus") == "Used"
                && matches!(at("marketoption"), "" | "OnDemand");
            (linux && cat.ec2.contains_key(t))
                .then(|| Match { reserved: Some(("ec2", t.to_string())), ..Match::new(format!("ec2.{t}"), HRS) })
        }
        ("AmazonEC2", "Storage") if at("volumeapiname") == "gp3" => Some(Match::new("ebs.gp3".into(), GB_MO)),
        ("AmazonEC2", "Storage Snapshot") if usage.ends_with("EBS:SnapshotUsage") => {
            Some(Match::new("ebs.snapshot".into(), GB_MO))
        }
        ("AmazonEC2", "NAT Gateway") if usage.ends_with("NatGateway-Hours") => Some(Match::new("nat.hour".into(), HRS)),
        ("AmazonEC2", "NAT Gateway") if usage.ends_with("NatGateway-Bytes") => Some(Match::new("nat.gb".into(), GB)),
        ("AmazonEKS", _) if usage.ends_with("AmazonEKS-Hours:perCluster") => {
            Some(Match::new("eks.cluster".into(), HRS))
        }
        ("AmazonRDS", "Database Instance") => {
            let class = at("instancetype");
            let deploy = match at("deploymentoption") {
                "Single-AZ" => "single_az",
                "Multi-AZ" => "multi_az",
                _ => return None,
            };
            (at("databaseengine") == "PostgreSQL" && cat.rds.contains_key(class))
                .then(|| Match::new(format!("rds.postgres.{deploy}.{class}"), HRS))
        }
        ("AmazonRDS", "Database Storage") if at("volumetype") == "General Purpose-GP3" => {
            match at("deploymentoption") {
                "Single-AZ" => Some(Match::new("rds.storage_gp3.single_az".into(), GB_MO)),
                "Multi-AZ" => Some(Match::new("rds.storage_gp3.multi_az".into(), GB_MO)),
                _ => None,
            }
        }
        ("AmazonRDS", "Storage Snapshot") if usage.ends_with("RDS:ChargedBackupUsage") => {
            Some(Match::new("rds.backup".into(), GB_MO))
        }
        ("AmazonElastiCache", "Cache Instance") => {
            let t = at("instancetype");
            (matches!(at("cacheengine"), "Redis" | "Redis OSS") && cat.cache.contains_key(t)).then(|| Match {
                reserved: Some(("elasticache", t.to_string())),
                ..Match::new(format!("elasticache.{t}"), HRS)
            })
        }
        ("AmazonS3", "Storage") if at("storageclass") == "General Purpose" && at("volumetype") == "Standard" => {
            Some(Match::new("s3.standard".into(), GB_MO))
        }
        ("AmazonS3", "API Request") if at("group") == "S3-API-Tier1" => {
            Some(Match::new("s3.put_requests".into(), &["requests"]).scaled(1000.0, "× 1,000 requests"))
        }
        ("AmazonS3", "API Request") if at("group") == "S3-API-Tier2" => {
            Some(Match::new("s3.get_requests".into(), &["requests"]).scaled(1000.0, "× 1,000 requests"))
        }
        ("AWSELB", "Load Balancer-Application") if usage.ends_with("LoadBalancerUsage") => {
            Some(Match::new("alb.hour".into(), HRS))
        }
        ("AWSELB", "Load Balancer-Application") if usage.ends_with("LCUUsage") => {
            Some(Match::new("alb.lcu".into(), &["lcuhrs", "lcuhours"]))
        }
        ("AWSDataTransfer", _) | ("AmazonEC2", "Data Transfer") => match at("transfertype") {
            "AWS Outbound" if at("tolocation") == "External" => {
                Some(Match::new("transfer.internet_out".into(), GB).tier(Tier::FirstPaid))
            }
            "InterRegion Outbound" => Some(Match::new("transfer.inter_region".into(), GB)),
            "IntraRegion" => Some(
                Match::new("transfer.inter_az".into(), GB)
                    .scaled(2.0, "× 2: the list prices each direction; a GB crossing an AZ boundary pays both"),
            ),
            _ => None,
        },
        ("AmazonVPC", _) if at("vpntype").starts_with("VPN Standard") || usage.ends_with("VPN-Usage-Hours:ipsec.1") => {
            Some(Match::new("vpn.connection".into(), HRS))
        }
        ("awswaf", _) if usage.ends_with("-WebACLV2") && !usage.contains("ShieldProtected") => {
            Some(Match::new("waf.web_acl".into(), &["webacl", "webacls", "webaclmonth"]))
        }
        ("awswaf", _) if usage.ends_with("-RuleV2") && !usage.contains("ShieldProtected") => {
            Some(Match::new("waf.rule".into(), &["rule", "rules", "rulemonth"]))
        }
        ("awswaf", _) if usage.ends_with("-RequestV2-Tier1") && !usage.contains("ShieldProtected") => {
            Some(Match::new("waf.requests".into(), &["request", "requests"]).scaled(1e6, "× 1,000,000 requests"))
        }
        ("AmazonCloudWatch", "Metric") if at("group") == "Metric" => {
            Some(Match::new("cloudwatch.metric".into(), &["metrics"]))
        }
        ("AmazonCloudWatch", "Alarm") if usage.ends_with("AlarmMonitorUsage") && at("alarmtype") == "Standard" => {
            Some(Match::new("cloudwatch.alarm".into(), &["alarms"]))
        }
        ("AmazonCloudWatch", "Dashboard") if usage.ends_with("DashboardsUsageHour") => {
            Some(Match::new("cloudwatch.dashboard".into(), &["dashboards"]))
        }
        ("AmazonCloudWatch", "Data Payload") if usage.ends_with("-DataProcessing-Bytes") => {
            Some(Match::new("cloudwatch.logs_ingest".into(), GB))
        }
        ("AmazonCloudWatch", "Storage Snapshot") if usage.ends_with("-TimedStorage-ByteHrs") => {
            Some(Match::new("cloudwatch.logs_storage".into(), GB_MO))
        }
        ("AWSCloudTrail", _) if usage.ends_with("DataEventsRecorded") => {
            Some(Match::new("cloudtrail.data_events".into(), &["events"]).scaled(100_000.0, "× 100,000 events"))
        }
        ("awskms", "Encryption Key") if usage.ends_with("KMS-Keys") => Some(Match::new("kms.key".into(), &["keys"])),
        ("awskms", _) if usage.ends_with("KMS-Requests") => {
            Some(Match::new("kms.requests".into(), &["requests"]).scaled(10_000.0, "× 10,000 requests"))
        }
        ("AWSSecretsManager", "Secret") => Some(Match::new("secrets.secret".into(), &["secrets"])),
        ("AWSDirectConnect", "Direct Connect") if at("capacity") == "1G" && at("connectiontype") == "Dedicated" => {
            Some(Match::new("dx.port_1g".into(), HRS))
        }
        ("AWSDirectConnect", "Data Transfer") if usage.contains("DataXfer-Out") => {
            Some(Match::new("dx.transfer_out".into(), GB))
        }
        _ => None,
    }
}

/// One price dimension as both formats give it.
#[derive(Debug, Clone, PartialEq)]
struct Dim {
    rate_code: String,
    unit: String,
    usd: Option<f64>,
    begin: f64,
}

/// A term of a kept product (one offer term: its dimensions and attributes).
#[derive(Debug, Clone, Default)]
struct TermAcc {
    reserved: bool,
    lease: String,
    class: String,
    purchase: String,
    effective: String,
    dims: Vec<Dim>,
}

impl<'c> Importer<'c> {
    /// An importer for `region` (None: the region of the first product that maps to a key).
    pub fn new(cat: &'c Catalog, region: Option<&str>) -> Importer<'c> {
        Importer {
            cat,
            region: region.map(str::to_string),
            offers: Vec::new(),
            candidates: BTreeMap::new(),
            problems: Vec::new(),
        }
    }

    /// Read one offer file (JSON or CSV, told apart by its first character). `progress` gets
    /// the bytes read so far, every few megabytes.
    pub fn read<R: Read>(&mut self, file: &str, reader: R, progress: &mut dyn FnMut(u64)) -> Result<(), ImportError> {
        let mut r = std::io::BufReader::with_capacity(1 << 16, Counting { inner: reader, n: 0, next: 0, progress });
        let first = loop {
            let buf = r.fill_buf().map_err(|e| ImportError::Read { file: file.into(), source: e })?;
            match buf.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF) {
                Some(i) => break Some(buf[i]),
                None if buf.is_empty() => break None,
                None => {
                    let n = buf.len();
                    r.consume(n);
                }
            }
        };
        let mut file_state = FileState::new(file);
        match first {
            Some(b'{') => {
                let mut de = serde_json::Deserializer::from_reader(r);
                OfferSeed { imp: self, st: &mut file_state }
                    .deserialize(&mut de)
                    .and_then(|()| de.end())
                    .map_err(|e| ImportError::Format { file: file.into(), message: json_message(&e) })?;
            }
            Some(_) => self.read_csv(r, &mut file_state)?,
            None => return Err(ImportError::Format { file: file.into(), message: "the file is empty".into() }),
        }
        if file_state.offer.offer_code.is_empty() {
            return Err(ImportError::Format {
                file: file.into(),
                message: "no offerCode: not an AWS Price List offer file".into(),
            });
        }
        let index = self.offers.len();
        for ((sku, _), term) in std::mem::take(&mut file_state.terms) {
            if let Some(m) = file_state.matched.get(&sku) {
                self.term(index, &sku, m, &term, &file_state.offer.publication_date);
            }
        }
        self.offers.push(file_state.offer);
        Ok(())
    }

    /// The region of a kept product: true to keep it.
    fn region_ok(&mut self, a: &Attrs, st: &mut FileState) -> bool {
        let code = a.get("regioncode").or_else(|| a.get("fromregioncode")).filter(|c| !c.is_empty());
        let Some(code) = code else { return true };
        match &self.region {
            Some(r) if r == code => true,
            Some(_) => {
                st.offer.other_region += 1;
                false
            }
            None => {
                self.region = Some(code.clone());
                true
            }
        }
    }

    fn product(&mut self, st: &mut FileState, sku: String, family: &str, attrs: Attrs) {
        st.offer.products += 1;
        let offer = st.offer.offer_code.clone();
        if let Some(m) = classify(self.cat, &offer, family, &attrs)
            && self.region_ok(&attrs, st)
        {
            st.offer.matched += 1;
            st.matched.insert(sku, m);
        }
    }

    /// A term of a kept product: its price into the key's candidates.
    fn term(&mut self, offer: usize, sku: &str, m: &Match, t: &TermAcc, published: &str) {
        let as_of = if t.effective.len() >= 10 { t.effective[..10].to_string() } else { published.to_string() };
        if !t.reserved {
            let ok: Vec<&Dim> = t.dims.iter().filter(|d| d.usd.is_some()).collect();
            let Some(first) = ok.first() else { return };
            let chosen = match m.tier {
                Tier::First => ok.iter().copied().min_by(|a, b| a.begin.total_cmp(&b.begin)),
                Tier::FirstPaid => ok
                    .iter()
                    .copied()
                    .filter(|d| d.usd.is_some_and(|x| x > 0.0))
                    .min_by(|a, b| a.begin.total_cmp(&b.begin)),
            };
            let Some(d) = chosen else { return };
            if !m.units.contains(&norm(&d.unit).as_str()) {
                self.problems.push(format!(
                    "{}: SKU {sku}: unit {:?} is not one this key converts ({}); left as a gap",
                    m.key,
                    d.unit,
                    m.units.join(", ")
                ));
                return;
            }
            let usd = d.usd.unwrap_or(0.0) * m.scale;
            let mut note = Vec::new();
            if ok.len() > 1 {
                note.push(format!("tier from {} {}", d.begin, first.unit));
            }
            if !m.conversion.is_empty() {
                note.push(m.conversion.to_string());
            }
            self.push(&m.key, offer, sku, &d.rate_code, &as_of, usd, note.join("; "));
            return;
        }
        let Some((svc, ty)) = &m.reserved else { return };
        if !matches!(t.class.as_str(), "" | "standard") {
            return;
        }
        let years = match t.lease.as_str() {
            "1yr" => 1u32,
            "3yr" => 3,
            _ => return,
        };
        let hourly = t.dims.iter().find(|d| HRS.contains(&norm(&d.unit).as_str()));
        let upfront = t.dims.iter().find(|d| norm(&d.unit) == "quantity");
        let hours = f64::from(years) * HOURS_PER_YEAR;
        let (kind, usd, how, rate) = match (t.purchase.as_str(), hourly, upfront) {
            ("No Upfront", Some(h), _) => ("nu", h.usd, "hourly rate".to_string(), &h.rate_code),
            ("Partial Upfront", Some(h), Some(u)) => (
                "pu_effective",
                h.usd.zip(u.usd).map(|(h, u)| h + u / hours),
                format!("effective: hourly rate + upfront fee / {hours} h"),
                &h.rate_code,
            ),
            ("All Upfront", _, Some(u)) => {
                ("au_effective", u.usd.map(|u| u / hours), format!("effective: upfront fee / {hours} h"), &u.rate_code)
            }
            _ => return,
        };
        let Some(usd) = usd else { return };
        let key = format!("{svc}.ri{years}y_{kind}.{ty}");
        self.push(&key, offer, sku, rate, &as_of, usd, format!("standard reserved, {}; {how}", t.purchase));
    }

    #[allow(clippy::too_many_arguments)]
    fn push(&mut self, key: &str, offer: usize, sku: &str, rate: &str, as_of: &str, usd: f64, note: String) {
        if !usd.is_finite() || usd < 0.0 {
            self.problems.push(format!("{key}: SKU {sku}: price {usd} is not a price; left as a gap"));
            return;
        }
        self.candidates.entry(key.to_string()).or_default().push(Found {
            usd,
            offer,
            sku: sku.to_string(),
            rate_code: rate.to_string(),
            as_of: as_of.to_string(),
            note,
        });
    }

    /// The prices found: one per key. Where several products give one key different prices
    /// (data transfer to different regions, Direct Connect at different locations), the most
    /// common price is kept (ties: the higher) and the note names the spread.
    pub fn finish(mut self) -> Result<Imported, ImportError> {
        let region = self.region.clone().ok_or_else(|| {
            ImportError::Region("no product in these files maps to a Headroom price key; nothing to import".to_string())
        })?;
        let mut rows = BTreeMap::new();
        for (key, mut c) in std::mem::take(&mut self.candidates) {
            c.sort_by(|a, b| a.usd.total_cmp(&b.usd).then_with(|| a.sku.cmp(&b.sku)));
            let mut groups: Vec<(f64, usize)> = Vec::new();
            for f in &c {
                match groups.last_mut() {
                    Some((u, n)) if *u == f.usd => *n += 1,
                    _ => groups.push((f.usd, 1)),
                }
            }
            let Some(&(usd, n)) = groups.iter().max_by(|a, b| a.1.cmp(&b.1).then(a.0.total_cmp(&b.0))) else {
                continue;
            };
            let Some(mut f) = c.iter().find(|f| f.usd == usd).cloned() else { continue };
            if groups.len() > 1 {
                let (lo, hi) = (c[0].usd, c[c.len() - 1].usd);
                let spread = format!(
                    "{} products price this key from ${lo} to ${hi}; kept ${usd}, the price of {n} of them",
                    c.len()
                );
                self.problems.push(format!("{key}: {spread}"));
                f.note = if f.note.is_empty() { spread } else { format!("{}; {spread}", f.note) };
            }
            rows.insert(key, f);
        }
        Ok(Imported { region, offers: self.offers, rows, problems: self.problems })
    }

    fn read_csv<R: Read>(&mut self, r: R, st: &mut FileState) -> Result<(), ImportError> {
        let file = st.offer.file.clone();
        let fail = |message: String| ImportError::Format { file: file.clone(), message };
        let mut rd = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(r);
        let mut rec = csv::StringRecord::new();
        // Metadata rows, then the header.
        let header = loop {
            if !rd.read_record(&mut rec).map_err(|e| fail(csv_message(&e)))? {
                return Err(fail("no header row (SKU, OfferTermCode, …): not an AWS Price List CSV".into()));
            }
            let k = norm(rec.get(0).unwrap_or(""));
            let v = rec.get(1).unwrap_or("").to_string();
            match k.as_str() {
                "offercode" => st.offer.offer_code = v,
                "version" => st.offer.version = v,
                "publicationdate" => st.offer.publication_date = v.get(..10).unwrap_or(&v).to_string(),
                "sku" => break rec.iter().map(norm).collect::<Vec<_>>(),
                _ => {}
            }
        };
        let col = |name: &str| header.iter().position(|h| h == name);
        let need = |name: &str| col(name).ok_or_else(|| fail(format!("no {name:?} column")));
        let (c_sku, c_term, c_rate, c_type) =
            (need("sku")?, need("offertermcode")?, need("ratecode")?, need("termtype")?);
        let (c_unit, c_price, c_family) = (need("unit")?, need("priceperunit")?, need("productfamily")?);
        let (c_begin, c_eff) = (col("startingrange"), col("effectivedate"));
        let (c_lease, c_purchase, c_class) = (col("leasecontractlength"), col("purchaseoption"), col("offeringclass"));
        let (c_currency, c_desc) = (col("currency"), col("pricedescription"));
        let term_cols = [
            Some(c_sku),
            Some(c_term),
            Some(c_rate),
            Some(c_type),
            Some(c_unit),
            Some(c_price),
            c_begin,
            col("endingrange"),
            c_eff,
            c_lease,
            c_purchase,
            c_class,
            c_currency,
            c_desc,
            col("relatedto"),
        ];
        let mut seen: FxHashMap<String, bool> = FxHashMap::default();
        while rd.read_record(&mut rec).map_err(|e| fail(csv_message(&e)))? {
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
            let sku = get(Some(c_sku)).to_string();
            if !seen.contains_key(&sku) {
                let attrs: Attrs = header
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !term_cols.contains(&Some(*i)) && *i != c_family)
                    .filter_map(|(i, h)| rec.get(i).filter(|v| !v.is_empty()).map(|v| (h.clone(), v.to_string())))
                    .collect();
                let family = get(Some(c_family)).to_string();
                self.product(st, sku.clone(), &family, attrs);
                let kept = st.matched.contains_key(&sku);
                seen.insert(sku.clone(), kept);
            }
            if seen.get(&sku) != Some(&true) {
                continue;
            }
            if !matches!(get(c_currency), "" | "USD") {
                continue;
            }
            let term = st.terms.entry((sku, get(Some(c_term)).to_string())).or_default();
            term.reserved = get(Some(c_type)) == "Reserved";
            term.lease = get(c_lease).to_string();
            term.purchase = get(c_purchase).to_string();
            term.class = get(c_class).to_string();
            term.effective = get(c_eff).to_string();
            term.dims.push(Dim {
                rate_code: get(Some(c_rate)).to_string(),
                unit: get(Some(c_unit)).to_string(),
                usd: get(Some(c_price)).trim().parse().ok(),
                begin: get(c_begin).trim().parse().unwrap_or(0.0),
            });
        }
        Ok(())
    }
}

/// The state of one file being read.
struct FileState {
    offer: Offer,
    matched: FxHashMap<String, Match>,
    /// (SKU, offer term code) → the term, for kept products only.
    terms: BTreeMap<(String, String), TermAcc>,
}

impl FileState {
    fn new(file: &str) -> FileState {
        FileState {
            offer: Offer {
                file: file.to_string(),
                offer_code: String::new(),
                version: String::new(),
                publication_date: String::new(),
                products: 0,
                matched: 0,
                other_region: 0,
            },
            matched: FxHashMap::default(),
            terms: BTreeMap::new(),
        }
    }
}

/// A reader that reports the bytes read every 8 MiB.
struct Counting<'p, R> {
    inner: R,
    n: u64,
    next: u64,
    progress: &'p mut dyn FnMut(u64),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        if self.n >= self.next {
            (self.progress)(self.n);
            self.next = self.n + (8 << 20);
        }
        Ok(k)
    }
}

fn json_message(e: &serde_json::Error) -> String {
    if e.line() > 0 { format!("line {} column {}: {e}", e.line(), e.column()) } else { e.to_string() }
}

fn csv_message(e: &csv::Error) -> String {
    match e.position() {
        Some(p) => format!("line {}: {e}", p.line()),
        None => e.to_string(),
    }
}

// ---- JSON: the offer object, streamed ----

struct OfferSeed<'a, 'c> {
    imp: &'a mut Importer<'c>,
    st: &'a mut FileState,
}

impl<'de> DeserializeSeed<'de> for OfferSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OfferSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an AWS Price List offer object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut products_seen = false;
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "offerCode" => self.st.offer.offer_code = map.next_value()?,
                "version" => self.st.offer.version = map.next_value()?,
                "publicationDate" => {
                    let v: String = map.next_value()?;
                    self.st.offer.publication_date = v.get(..10).unwrap_or(&v).to_string();
                }
                "products" => {
                    map.next_value_seed(ProductsSeed { imp: &mut *self.imp, st: &mut *self.st })?;
                    products_seen = true;
                }
                "terms" => {
                    if !products_seen {
                        return Err(serde::de::Error::custom(
                            "\"terms\" comes before \"products\": AWS writes products first, and a file in another order cannot be streamed",
                        ));
                    }
                    map.next_value_seed(TermsSeed { st: &mut *self.st })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct Product {
    #[serde(default, rename = "productFamily")]
    family: String,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

struct ProductsSeed<'a, 'c> {
    imp: &'a mut Importer<'c>,
    st: &'a mut FileState,
}

impl<'de> DeserializeSeed<'de> for ProductsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ProductsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("products: SKU → product")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(sku) = map.next_key::<String>()? {
            let p: Product = map.next_value()?;
            let attrs = p.attributes.into_iter().map(|(k, v)| (norm(&k), v)).collect();
            self.imp.product(self.st, sku, &p.family, attrs);
        }
        Ok(())
    }
}

struct TermsSeed<'a> {
    st: &'a mut FileState,
}

impl<'de> DeserializeSeed<'de> for TermsSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TermsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("terms: OnDemand / Reserved → SKU → offer terms")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(kind) = map.next_key::<String>()? {
            let reserved = match kind.as_str() {
                "OnDemand" => false,
                "Reserved" => true,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            map.next_value_seed(SkuTermsSeed { st: &mut *self.st, reserved })?;
        }
        Ok(())
    }
}

struct SkuTermsSeed<'a> {
    st: &'a mut FileState,
    reserved: bool,
}

impl<'de> DeserializeSeed<'de> for SkuTermsSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

#[derive(Deserialize)]
struct JsonTerm {
    #[serde(default, rename = "effectiveDate")]
    effective: String,
    #[serde(default, rename = "priceDimensions")]
    dims: BTreeMap<String, JsonDim>,
    #[serde(default, rename = "termAttributes")]
    attrs: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct JsonDim {
    #[serde(default, rename = "rateCode")]
    rate_code: String,
    #[serde(default)]
    unit: String,
    #[serde(default, rename = "beginRange")]
    begin: String,
    #[serde(default, rename = "pricePerUnit")]
    price: BTreeMap<String, String>,
}

impl<'de> Visitor<'de> for SkuTermsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("SKU → offer terms")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(sku) = map.next_key::<String>()? {
            if !self.st.matched.contains_key(&sku) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let terms: BTreeMap<String, JsonTerm> = map.next_value()?;
            for (code, t) in terms {
                let code = code.rsplit('.').next().unwrap_or(&code).to_string();
                let attr =
                    |k: &str| t.attrs.iter().find(|(n, _)| norm(n) == k).map(|x| x.1.clone()).unwrap_or_default();
                let acc = TermAcc {
                    reserved: self.reserved,
                    lease: attr("leasecontractlength"),
                    class: attr("offeringclass"),
                    purchase: attr("purchaseoption"),
                    effective: t.effective,
                    dims: t
                        .dims
                        .into_values()
                        .map(|d| Dim {
                            rate_code: d.rate_code,
                            unit: d.unit,
                            usd: d.price.get("USD").and_then(|p| p.trim().parse().ok()),
                            begin: d.begin.trim().parse().unwrap_or(0.0),
                        })
                        .collect(),
                };
                self.st.terms.insert((sku.clone(), code), acc);
            }
        }
        Ok(())
    }
}

impl Imported {
    /// The table to write: every key found, and every key the shipped tables have that these
    /// files did not price, as a gap (so the table names what is still missing). Units follow
    /// the shipped rows; each offer file is a source (`PL-<offer>-<version>`).
    pub fn table(&self, cat: &Catalog) -> PriceTable {
        let template = cat.tables.get("us-east-1");
        let unit_of = |key: &str| -> String {
            template.and_then(|t| t.prices.get(key)).map(|p| p.unit.clone()).unwrap_or_else(|| {
                if key.starts_with("ec2.") || key.starts_with("rds.postgres.") {
                    "instance-hour".into()
                } else if key.starts_with("elasticache.") {
                    "node-hour".into()
                } else {
                    "unit".into()
                }
            })
        };
        let mut prices = BTreeMap::new();
        for (key, f) in &self.rows {
            let o = &self.offers[f.offer];
            let note = if f.note.is_empty() {
                format!("SKU {}, rate {}", f.sku, f.rate_code)
            } else {
                format!("SKU {}, rate {}; {}", f.sku, f.rate_code, f.note)
            };
            prices.insert(
                key.clone(),
                Price {
                    usd: Some(f.usd),
                    unit: unit_of(key),
                    source: o.source_id(),
                    as_of: f.as_of.clone(),
                    confidence: Some(Confidence::A),
                    note,
                },
            );
        }
        let gap_source = self.offers.first().map(Offer::source_id).unwrap_or_default();
        let read: Vec<&str> = self.offers.iter().map(|o| o.offer_code.as_str()).collect();
        if let Some(t) = template {
            for (key, p) in &t.prices {
                prices.entry(key.clone()).or_insert_with(|| Price {
                    usd: None,
                    unit: p.unit.clone(),
                    source: gap_source.clone(),
                    as_of: self.offers.first().map(|o| o.publication_date.clone()).unwrap_or_default(),
                    confidence: None,
                    note: format!("GAP: not priced by the files imported ({})", read.join(", ")),
                });
            }
        }
        let sources = self
            .offers
            .iter()
            .map(|o| {
                (
                    o.source_id(),
                    Source {
                        title: format!(
                            "AWS Price List offer file {} version {} ({}), region {}",
                            o.offer_code,
                            o.version,
                            std::path::Path::new(&o.file)
                                .file_name()
                                .map_or(o.file.as_str(), |n| n.to_str().unwrap_or("")),
                            self.region
                        ),
                        date: o.publication_date.clone(),
                    },
                )
            })
            .collect();
        PriceTable { region: self.region.clone(), prices, sources }
    }
}

/// The table as RON, with a header saying where it came from.
pub fn to_ron(table: &PriceTable) -> Result<String, String> {
    let pretty = ron::ser::PrettyConfig::new()
        .struct_names(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME)
        .separate_tuple_members(false);
    let body = ron::ser::to_string_pretty(table, pretty).map_err(|e| format!("cannot write the table: {e}"))?;
    let mut head = format!(
        "// Headroom price table for {}, imported from AWS Price List offer files by `headroom prices import`.\n",
        table.region
    );
    for (id, s) in &table.sources {
        head.push_str(&format!("// {id}: {} ({})\n", s.title, s.date));
    }
    head.push_str(
        "// `usd: None` is a key these files did not price: fill it with pricing.overrides or import more files.\n",
    );
    Ok(head + &body + "\n")
}

/// What an import did, for the terminal.
pub fn summary(imp: &Imported, table: &PriceTable) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let priced = table.prices.values().filter(|p| p.usd.is_some()).count();
    let _ =
        writeln!(out, "{}: {} prices imported, {} keys still gaps", imp.region, priced, table.prices.len() - priced);
    for o in &imp.offers {
        let _ = writeln!(
            out,
            "  {} {} (published {}): {} products, {} mapped to price keys{}",
            o.offer_code,
            o.version,
            o.publication_date,
            o.products,
            o.matched,
            if o.other_region > 0 { format!(", {} of other regions skipped", o.other_region) } else { String::new() }
        );
    }
    for p in &imp.problems {
        let _ = writeln!(out, "  note: {p}");
    }
    out
}
