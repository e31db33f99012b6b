//! `headroom prices import` (issue #16): AWS Price List offer files, JSON and CSV, into a
//! price table a scenario can plan with. The fixtures in `tests/prices/` follow the format AWS
//! documents ("Reading the service price list file"); their prices are the public list prices
//! the shipped catalogue already carries, so each expected figure below is checked by hand.

use headroom::Catalog;
use headroom::catalog::import::{Imported, Importer, to_ron};

fn fixture(name: &str) -> std::fs::File {
    std::fs::File::open(format!("{}/tests/prices/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn import(files: &[&str], region: Option<&str>) -> Imported {
    let mut imp = Importer::new(Catalog::builtin(), region);
    for f in files {
        imp.read(f, fixture(f), &mut |_| {}).unwrap();
    }
    imp.finish().unwrap()
}

fn usd(i: &Imported, key: &str) -> f64 {
    i.rows.get(key).unwrap_or_else(|| panic!("{key} not imported: {:?}", i.rows.keys().collect::<Vec<_>>())).usd
}

#[test]
fn ec2_on_demand_and_every_reserved_term() {
    let i = import(&["ec2-us-east-1.json"], None);
    assert_eq!(i.region, "us-east-1", "from the products' regionCode");
    // Linux, shared, no software, capacity used: the Windows and unused-reservation SKUs of
    // the same type do not leak in (their prices differ or would duplicate the key).
    assert_eq!(usd(&i, "ec2.m5.large"), 0.096);
    assert_eq!(i.rows["ec2.m5.large"].sku, "SKUM5LARGE");
    assert_eq!(i.rows["ec2.m5.large"].as_of, "2026-11-01", "the term's effective date");
    // Standard reserved: no upfront = the hourly rate; partial = hourly + fee / term hours;
    // all upfront = fee / term hours (8 760 h a year). Convertible terms are not read.
    assert_eq!(usd(&i, "ec2.ri1y_nu.m5.large"), 0.06);
    assert!((usd(&i, "ec2.ri1y_pu_effective.m5.large") - (0.029 + 258.0 / 8760.0)).abs() < 1e-12);
    assert!((usd(&i, "ec2.ri1y_au_effective.m5.large") - 505.0 / 8760.0).abs() < 1e-12);
    assert_eq!(usd(&i, "ec2.ri3y_nu.m5.large"), 0.041);
    assert!((usd(&i, "ec2.ri3y_au_effective.m5.large") - 1000.0 / 26280.0).abs() < 1e-12);
    assert_eq!(i.rows.keys().filter(|k| k.contains("m5.large")).count(), 6);
    // A type the catalogue has no node data for is not imported; another region's product is
    // skipped and counted.
    assert!(!i.rows.keys().any(|k| k.contains("x9.huge") || k == "ec2.m5.xlarge"));
    assert_eq!(i.offers[0].other_region, 1);
    assert_eq!((i.offers[0].products, i.offers[0].matched), (8, 4));
    assert_eq!(usd(&i, "ebs.gp3"), 0.08);
    assert_eq!(usd(&i, "nat.hour"), 0.045);
    // A unit the key does not convert leaves a gap and says so.
    assert!(!i.rows.contains_key("nat.gb"));
    assert!(i.problems.iter().any(|p| p.starts_with("nat.gb: SKU SKUNATB: unit \"Quantity\"")), "{:?}", i.problems);
}

#[test]
fn the_csv_form_gives_the_same_prices_as_the_json() {
    let j = import(&["ec2-us-east-1.json"], None);
    let c = import(&["ec2-us-east-1.csv"], None);
    let prices = |i: &Imported| {
        i.rows.iter().map(|(k, f)| (k.clone(), f.usd, f.sku.clone(), f.rate_code.clone())).collect::<Vec<_>>()
    };
    assert_eq!(prices(&j), prices(&c));
    assert_eq!((c.offers[0].offer_code.as_str(), c.offers[0].version.as_str()), ("AmazonEC2", "20261120000000"));
    assert_eq!(c.offers[0].publication_date, "2026-11-20");
}

#[test]
fn rds_cache_eks_and_data_transfer() {
    let i = import(&["rds-elasticache-eks-us-east-1.csv", "datatransfer-us-east-1.json"], Some("us-east-1"));
    assert_eq!(usd(&i, "rds.postgres.single_az.db.m5.large"), 0.178);
    assert_eq!(usd(&i, "rds.postgres.multi_az.db.m5.large"), 0.356, "PostgreSQL, not MySQL ($0.171)");
    assert_eq!(usd(&i, "rds.storage_gp3.single_az"), 0.115);
    assert_eq!(usd(&i, "elasticache.cache.r5.large"), 0.216);
    assert_eq!(usd(&i, "elasticache.ri1y_nu.cache.r5.large"), 0.147);
    // $2,562 over 3 × 8 760 h = $0.09749/h, the shipped row's 0.0975 (S5).
    assert!((usd(&i, "elasticache.ri3y_au_effective.cache.r5.large") - 0.097_488_6).abs() < 1e-6);
    assert_eq!(usd(&i, "eks.cluster"), 0.1);
    // Internet out: the free allowance is skipped, the first paid tier kept.
    assert_eq!(usd(&i, "transfer.internet_out"), 0.09);
    assert!(i.rows["transfer.internet_out"].note.contains("tier from 100"));
    // Inter-region: $0.02 to two regions, $0.01 to one: the common price, the spread said.
    assert_eq!(usd(&i, "transfer.inter_region"), 0.02);
    assert!(
        i.problems.iter().any(|p| p.contains("transfer.inter_region: 3 products price this key from $0.01 to $0.02"))
    );
    // Inter-AZ: $0.01 each way, so $0.02 per GB crossing.
    assert_eq!(usd(&i, "transfer.inter_az"), 0.02);
}

#[test]
fn the_table_round_trips_and_a_catalog_plans_with_it() {
    let cat = Catalog::builtin();
    let i = import(&["ec2-us-east-1.json", "rds-elasticache-eks-us-east-1.csv"], None);
    let table = i.table(cat);
    // Every shipped key is in the table: priced, or a gap that says why.
    for key in cat.tables["us-east-1"].prices.keys() {
        assert!(table.prices.contains_key(key), "{key}");
    }
    let gap = &table.prices["waf.web_acl"];
    assert!(gap.usd.is_none() && gap.note.starts_with("GAP: not priced by the files imported (AmazonEC2, AmazonRDS)"));
    let row = &table.prices["ec2.m5.large"];
    assert_eq!((row.source.as_str(), row.unit.as_str()), ("PL-AmazonEC2-20261120000000", "instance-hour"));
    assert!(row.note.contains("SKU SKUM5LARGE, rate SKUM5LARGE.JRTCKXETXF.6YS6EN2CT7"), "{}", row.note);
    let text = to_ron(&table).unwrap();
    assert!(text.starts_with("// Headroom price table for us-east-1"));
    // Laid over the shipped catalogue: imported prices replace, gaps never erase a price.
    let merged = cat.with_table("t.ron", &text).unwrap();
    assert_eq!(
        merged.price("us-east-1", "rds.postgres.single_az.db.m5.large").unwrap().source,
        "PL-AmazonRDS-20261118100000"
    );
    assert_eq!(merged.price("us-east-1", "waf.web_acl").unwrap().usd, Some(5.0), "the shipped price stays");
    assert_eq!(
        merged.price("us-east-1", "ec2.ri1y_pu_effective.m5.large").unwrap().confidence,
        Some(headroom::catalog::Confidence::A)
    );
    assert!(merged.sources.contains_key("PL-AmazonEC2-20261120000000"));
    // The same table as another region: a region the catalogue lacks is added whole.
    let sa = text.replace("region: \"us-east-1\"", "region: \"sa-east-1\"");
    let merged = cat.with_table("sa.ron", &sa).unwrap();
    assert!(!cat.tables.contains_key("sa-east-1"));
    assert_eq!(merged.regions().count(), cat.regions().count() + 1);
    assert_eq!(merged.price("sa-east-1", "ec2.m5.large").unwrap().usd, Some(0.096));
    assert_eq!(merged.price("sa-east-1", "waf.web_acl").unwrap().usd, None, "a new region's gaps stay gaps");
}

#[test]
fn bad_files_say_what_and_where() {
    let cat = Catalog::builtin();
    let err = |text: &str| {
        let mut imp = Importer::new(cat, None);
        imp.read("f", text.as_bytes(), &mut |_| {}).unwrap_err().to_string()
    };
    let e = err("{\"offerCode\": \"AmazonEC2\", \"products\": {\"A\": {\"productFamily\": 3}}}");
    assert!(e.starts_with("f: line 1 column") && e.contains("invalid type"), "{e}");
    let e = err("{\"offerCode\": \"AmazonEC2\", \"terms\": {}, \"products\": {}}");
    assert!(e.contains("\"terms\" comes before \"products\""), "{e}");
    assert_eq!(err(""), "f: the file is empty");
    assert!(err("{\"products\": {}}").contains("no offerCode"));
    assert!(err("\"FormatVersion\",\"v1.0\"\n\"OfferCode\",\"AmazonEC2\"\n").contains("no header row"));
    let e = err("\"OfferCode\",\"AmazonEC2\"\n\"SKU\",\"Unit\"\n");
    assert!(e.contains("no \"offertermcode\" column"), "{e}");
    // Nothing mapped: said, not an empty table.
    let mut imp = Importer::new(cat, None);
    imp.read("f", "{\"offerCode\": \"AmazonEC2\", \"products\": {}, \"terms\": {}}".as_bytes(), &mut |_| {}).unwrap();
    assert!(imp.finish().unwrap_err().to_string().contains("nothing to import"));
    // A table's own rows are checked as the shipped ones are.
    let e = cat.with_table("t.ron", "(region: \"eu-west-1\", prices: {\"ec2.m5.large\": (usd: Some(-1.0), unit: \"h\", source: \"S1\", as_of: \"x\", confidence: Some(A))})").unwrap_err();
    assert!(e.to_string().contains("finite number of dollars"), "{e}");
    let e = cat.with_table("t.ron", "(region: \"eu-west-1\", prices: {\"ec2.m5.large\": (usd: Some(1.0), unit: \"h\", source: \"PL-X\", as_of: \"x\", confidence: Some(A))})").unwrap_err();
    assert!(e.to_string().contains("unknown source id \"PL-X\""), "{e}");
}

/// Bounded memory: a generated offer file of 100 000 products (tens of megabytes, produced as
/// it is read, never held) keeps only the few products that map to a key.
#[test]
fn a_large_file_streams() {
    struct Gen {
        n: usize,
        i: usize,
        phase: u8,
        buf: Vec<u8>,
        pos: usize,
    }
    impl std::io::Read for Gen {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            while self.pos == self.buf.len() {
                self.buf.clear();
                self.pos = 0;
                match self.phase {
                    0 => {
                        self.buf.extend_from_slice(b"{\"offerCode\":\"AmazonEC2\",\"version\":\"1\",\"publicationDate\":\"2026-11-20T00:00:00Z\",\"products\":{");
                        self.phase = 1;
                    }
                    1 if self.i < self.n => {
                        let t = if self.i == self.n / 2 { "m5.large" } else { "x1.unknown" };
                        let sep = if self.i > 0 { "," } else { "" };
                        self.buf.extend_from_slice(format!("{sep}\"S{i}\":{{\"sku\":\"S{i}\",\"productFamily\":\"Compute Instance\",\"attributes\":{{\"instanceType\":\"{t}\",\"tenancy\":\"Shared\",\"operatingSystem\":\"Linux\",\"preInstalledSw\":\"NA\",\"licenseModel\":\"No License required\",\"capacitystatus\":\"Used\",\"regionCode\":\"eu-west-1\",\"servicecode\":\"AmazonEC2\"}}}}", i = self.i).as_bytes());
                        self.i += 1;
                    }
                    1 => {
                        self.buf.extend_from_slice(b"},\"terms\":{\"OnDemand\":{");
                        self.phase = 2;
                        self.i = 0;
                    }
                    2 if self.i < self.n => {
                        let sep = if self.i > 0 { "," } else { "" };
                        self.buf.extend_from_slice(format!("{sep}\"S{i}\":{{\"S{i}.T\":{{\"effectiveDate\":\"2026-11-01T00:00:00Z\",\"priceDimensions\":{{\"S{i}.T.R\":{{\"rateCode\":\"S{i}.T.R\",\"unit\":\"Hrs\",\"beginRange\":\"0\",\"pricePerUnit\":{{\"USD\":\"0.107\"}}}}}},\"termAttributes\":{{}}}}}}", i = self.i).as_bytes());
                        self.i += 1;
                    }
                    2 => {
                        self.buf.extend_from_slice(b"}}}");
                        self.phase = 3;
                    }
                    _ => return Ok(0),
                }
            }
            let k = out.len().min(self.buf.len() - self.pos);
            out[..k].copy_from_slice(&self.buf[self.pos..self.pos + k]);
            self.pos += k;
            Ok(k)
        }
    }
    let mut imp = Importer::new(Catalog::builtin(), None);
    let mut last = 0;
    imp.read("gen", Gen { n: 100_000, i: 0, phase: 0, buf: Vec::new(), pos: 0 }, &mut |n| last = n).unwrap();
    let i = imp.finish().unwrap();
    assert!(last > 25 << 20, "read {last} bytes");
    assert_eq!((i.region.as_str(), i.offers[0].products, i.offers[0].matched), ("eu-west-1", 100_000, 1));
    assert_eq!(usd(&i, "ec2.m5.large"), 0.107);
}
