//! Generates a scenario and prints how long it took: `cargo run --release -p liaison-scenario --example
//! generate -- SEED COUNTRIES PERSONS DIR`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: u64| -> u64 {
        args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
    };
    let config = liaison_scenario::ScenarioConfig::new(
        number(0, 1),
        number(1, 3) as usize,
        number(2, 1000) as usize,
    );
    let dir = std::path::PathBuf::from(
        args.get(3)
            .cloned()
            .unwrap_or_else(|| "scenario".to_owned()),
    );
    let start = Instant::now();
    let summary = liaison_scenario::generate_to_dir(&config, &dir, &mut |_| {})?;
    let seconds = start.elapsed().as_secs_f64();
    for country in &summary.countries {
        println!(
            "{} {}: {:?}, {} bytes",
            country.info.code, country.info.locale, country.counts, country.bytes
        );
    }
    println!(
        "{} manifests, {} travellers, {} planted hits; {:.2} s, {:.0} persons per second per country",
        summary.manifests.len(),
        summary.travellers,
        summary.planted_hits(),
        seconds,
        config.persons_per_country as f64 / seconds
    );
    Ok(())
}
