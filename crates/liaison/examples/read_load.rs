//! A fixed-rate load generator for `GET /api/v1/records/person/{id}?purpose=...`, reporting latency corrected
//! for coordinated omission.
//!
//! ```text
//! LIAISON_BENCH_TOKEN=... cargo run --release -p liaison --example read_load -- \
//!     --url http://127.0.0.1:8080 --persons 1000000 --rate 200 --duration 60 --warmup 10
//! ```
//!
//! How it measures (the method of wrk2 and HdrHistogram's authors):
//! - Request `i` is *scheduled* at `start + i / rate`, whatever happened before. A dispatcher thread sleeps until
//!   that time and hands the request to a pool of keep-alive connections (one blocking thread each).
//! - Latency is measured from the scheduled time to the last byte of the response. When the server stalls, the
//!   requests that should have been sent meanwhile wait in the queue and their waiting counts: a closed-loop
//!   tool such as plain `wrk` would instead send fewer requests and hide the stall (coordinated omission).
//! - The "service time" (from the moment the request was actually written) is printed too; a large gap
//!   between the two means the server, or this generator, fell behind the schedule.
//! - Person ids are drawn uniformly at random from `p1..pN` (a seeded splitmix64), so reads hit cold pages
//!   of a large table, not one cached row.
//!
//! Requests sent during the warm-up are not counted. Any status other than 200 is counted and reported.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    about = "Sends GET /api/v1/records/person/{id} at a fixed rate and reports latency percentiles"
)]
struct Args {
    /// The node's base URL (plain http, e.g. http://127.0.0.1:8080).
    #[arg(long)]
    url: String,
    /// The bearer token of a user allowed to read records (or set LIAISON_BENCH_TOKEN).
    #[arg(long, env = "LIAISON_BENCH_TOKEN", hide_env_values = true)]
    token: String,
    /// Person ids are drawn from p1 ..= pN.
    #[arg(long)]
    persons: u64,
    /// Requests per second to schedule.
    #[arg(long, default_value_t = 200.0)]
    rate: f64,
    /// Seconds measured (after the warm-up).
    #[arg(long, default_value_t = 60.0)]
    duration: f64,
    /// Seconds of load before measuring (not counted).
    #[arg(long, default_value_t = 10.0)]
    warmup: f64,
    /// Keep-alive connections (each request waits for a free one; enough that none is waited for normally).
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// The stated purpose of every read.
    #[arg(long, default_value = "border_check")]
    purpose: String,
    /// Seed for the choice of ids.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also print the summary as one JSON line (last line of output).
    #[arg(long)]
    json: bool,
}

struct Job {
    scheduled: Instant,
    id: u64,
    counted: bool,
}

struct Sample {
    scheduled: Instant,
    sent: Instant,
    done: Instant,
    /// HTTP status, or 0 for a connection or protocol error.
    status: u16,
}

/// splitmix64: the ids requested depend only on the seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// One keep-alive HTTP/1.1 connection.
struct Connection {
    address: String,
    reader: Option<BufReader<TcpStream>>,
}

impl Connection {
    fn stream(&mut self) -> std::io::Result<&mut BufReader<TcpStream>> {
        if self.reader.is_none() {
            let stream = TcpStream::connect(&self.address)?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(Duration::from_secs(30)))?;
            self.reader = Some(BufReader::with_capacity(64 * 1024, stream));
        }
        self.reader
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no connection"))
    }

    /// Sends one request and reads the whole response; returns the status. Reconnects on the next call after
    /// an error or `Connection: close`.
    fn get(&mut self, request: &[u8], body: &mut Vec<u8>) -> std::io::Result<u16> {
        let result = self.exchange(request, body);
        if !matches!(result, Ok((_, true))) {
            self.reader = None;
        }
        result.map(|(status, _)| status)
    }

    fn exchange(&mut self, request: &[u8], body: &mut Vec<u8>) -> std::io::Result<(u16, bool)> {
        let reader = self.stream()?;
        reader.get_mut().write_all(request)?;
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(bad("connection closed before the response"));
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("not an HTTP status line"))?;
        let mut length: Option<usize> = None;
        let mut chunked = false;
        let mut keep_alive = true;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Err(bad("connection closed in the headers"));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().ok();
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.eq_ignore_ascii_case("chunked");
                } else if name.eq_ignore_ascii_case("connection") {
                    keep_alive = !value.eq_ignore_ascii_case("close");
                }
            }
        }
        body.clear();
        if chunked {
            loop {
                line.clear();
                reader.read_line(&mut line)?;
                let size =
                    usize::from_str_radix(line.trim_end().split(';').next().unwrap_or(""), 16)
                        .map_err(|_| bad("bad chunk size"))?;
                let start = body.len();
                body.resize(start + size + 2, 0);
                reader.read_exact(&mut body[start..])?;
                body.truncate(start + size);
                if size == 0 {
                    break;
                }
            }
        } else if let Some(length) = length {
            body.resize(length, 0);
            reader.read_exact(body)?;
        } else {
            return Err(bad(
                "a response without Content-Length on a keep-alive connection",
            ));
        }
        Ok((status, keep_alive))
    }
}

/// The value at quantile `q` (nearest rank) of sorted `values`.
fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let rank = (q * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

struct Percentiles {
    p50: f64,
    p90: f64,
    p99: f64,
    p999: f64,
    max: f64,
}

fn percentiles(mut values: Vec<f64>) -> Percentiles {
    values.sort_by(f64::total_cmp);
    Percentiles {
        p50: quantile(&values, 0.50),
        p90: quantile(&values, 0.90),
        p99: quantile(&values, 0.99),
        p999: quantile(&values, 0.999),
        max: values.last().copied().unwrap_or(f64::NAN),
    }
}

fn worker(
    address: String,
    prefix: String,
    suffix: String,
    jobs: Arc<Mutex<Receiver<Job>>>,
) -> Vec<Sample> {
    let mut connection = Connection {
        address,
        reader: None,
    };
    // Connect before the schedule starts, so set-up is not measured.
    let _ = connection.stream();
    let mut samples = Vec::new();
    let mut request = Vec::with_capacity(prefix.len() + suffix.len() + 24);
    let mut body = Vec::with_capacity(4096);
    loop {
        let job = {
            let Ok(queue) = jobs.lock() else { break };
            match queue.recv() {
                Ok(job) => job,
                Err(_) => break,
            }
        };
        request.clear();
        request.extend_from_slice(prefix.as_bytes());
        request.extend_from_slice(job.id.to_string().as_bytes());
        request.extend_from_slice(suffix.as_bytes());
        let sent = Instant::now();
        let status = connection.get(&request, &mut body).unwrap_or(0);
        let done = Instant::now();
        if job.counted {
            samples.push(Sample {
                scheduled: job.scheduled,
                sent,
                done,
                status,
            });
        }
    }
    samples
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let Some(rest) = args.url.strip_prefix("http://") else {
        bail!("--url: only http:// is supported (the benchmark runs on 127.0.0.1)");
    };
    let host = rest.trim_end_matches('/');
    if host.contains('/') {
        bail!("--url: give the base URL only, such as http://127.0.0.1:8080");
    }
    if args.persons == 0 || args.rate <= 0.0 || args.connections == 0 {
        bail!("--persons, --rate and --connections must be positive");
    }
    let prefix = "GET /api/v1/records/person/p".to_owned();
    let suffix = format!(
        "?purpose={} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nAccept: application/json\r\n\r\n",
        args.purpose, args.token
    );

    // One request first, to fail early with a clear message (wrong token, wrong port, empty database).
    let mut probe = Connection {
        address: host.to_owned(),
        reader: None,
    };
    let mut body = Vec::new();
    let first = format!("{prefix}1{suffix}");
    let status = probe
        .get(first.as_bytes(), &mut body)
        .with_context(|| format!("cannot reach {host}"))?;
    if status != 200 {
        bail!(
            "GET person p1 answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    drop(probe);

    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Arc::new(Mutex::new(receiver));
    let workers: Vec<_> = (0..args.connections)
        .map(|_| {
            let (address, prefix, suffix, jobs) = (
                host.to_owned(),
                prefix.clone(),
                suffix.clone(),
                Arc::clone(&receiver),
            );
            std::thread::spawn(move || worker(address, prefix, suffix, jobs))
        })
        .collect();

    eprintln!(
        "{} req/s for {} s after {} s of warm-up, {} keep-alive connections, ids p1..p{} at random",
        args.rate, args.duration, args.warmup, args.connections, args.persons
    );
    let mut rng = SplitMix64(args.seed);
    let period = Duration::from_secs_f64(1.0 / args.rate);
    let total = ((args.warmup + args.duration) * args.rate).round() as u64;
    let warmup_requests = (args.warmup * args.rate).round() as u64;
    let start = Instant::now() + Duration::from_millis(200);
    let mut behind = Duration::ZERO;
    for i in 0..total {
        let scheduled = start + period.mul_f64(i as f64);
        let now = Instant::now();
        if scheduled > now {
            std::thread::sleep(scheduled - now);
        } else {
            behind = behind.max(now - scheduled);
        }
        let job = Job {
            scheduled,
            id: 1 + rng.next() % args.persons,
            counted: i >= warmup_requests,
        };
        if sender.send(job).is_err() {
            bail!("every connection thread stopped");
        }
    }
    drop(sender);
    let mut samples = Vec::new();
    for worker in workers {
        samples.extend(
            worker
                .join()
                .map_err(|_| anyhow::anyhow!("a connection thread panicked"))?,
        );
    }
    if samples.is_empty() {
        bail!("no request was measured");
    }

    let first_scheduled = samples.iter().map(|s| s.scheduled).min().unwrap_or(start);
    let last_done = samples.iter().map(|s| s.done).max().unwrap_or(start);
    let span = (last_done - first_scheduled).as_secs_f64();
    let ok = samples.iter().filter(|s| s.status == 200).count();
    let errors = samples.iter().filter(|s| s.status == 0).count();
    let other = samples.len() - ok - errors;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let latency = percentiles(samples.iter().map(|s| ms(s.done - s.scheduled)).collect());
    let service = percentiles(samples.iter().map(|s| ms(s.done - s.sent)).collect());
    let achieved = samples.len() as f64 / span;

    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "requests {} in {span:.1} s: achieved {achieved:.1} req/s (target {}); status 200: {ok}, other status: {other}, errors: {errors}",
        samples.len(),
        args.rate
    )?;
    let line = |p: &Percentiles| {
        format!(
            "p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}",
            p.p50, p.p90, p.p99, p.p999, p.max
        )
    };
    writeln!(
        out,
        "latency from scheduled time (corrected for coordinated omission), ms: {}",
        line(&latency)
    )?;
    writeln!(
        out,
        "service time from actual send, ms:                                 {}",
        line(&service)
    )?;
    writeln!(
        out,
        "dispatcher fell behind schedule by at most {:.2} ms",
        ms(behind)
    )?;
    if args.json {
        writeln!(
            out,
            "{{\"target_rate\":{},\"achieved_rate\":{achieved:.2},\"requests\":{},\"status_200\":{ok},\"other_status\":{other},\"errors\":{errors},\"p50_ms\":{:.3},\"p90_ms\":{:.3},\"p99_ms\":{:.3},\"p999_ms\":{:.3},\"max_ms\":{:.3},\"service_p99_ms\":{:.3}}}",
            args.rate,
            samples.len(),
            latency.p50,
            latency.p90,
            latency.p99,
            latency.p999,
            latency.max,
            service.p99
        )?;
    }
    Ok(())
}
