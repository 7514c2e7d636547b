//! When the outbox tries a message again: exponential backoff with full jitter, so partners coming back
//! online are not hit by every sender at once, and a deadline after which the message is given up.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// The retry schedule of outgoing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The ceiling of the delay after the first failed attempt.
    pub base: Duration,
    /// How much the ceiling grows with each further failure.
    pub factor: u32,
    /// The largest ceiling.
    pub max_delay: Duration,
    /// How long after its creation a message is still tried; must stay below the receivers'
    /// `VerifyContext::max_age` minus their skew, or late attempts would be refused as too old.
    pub max_age: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_secs(1),
            factor: 2,
            max_delay: Duration::from_secs(10 * 60),
            max_age: Duration::from_secs(12 * 60 * 60),
        }
    }
}

/// When to try a message next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextAttempt {
    At(DateTime<Utc>),
    /// The message is older than `max_age`: stop, and report it undelivered.
    GiveUp,
}

impl Backoff {
    /// The ceiling of the delay after `attempts` failed attempts: `base × factor^(attempts − 1)`, at most
    /// `max_delay`.
    pub fn ceiling(&self, attempts: u32) -> Duration {
        let growth = u128::from(self.factor.max(1)).checked_pow(attempts.saturating_sub(1));
        let nanos = growth.and_then(|g| self.base.as_nanos().checked_mul(g));
        match nanos {
            Some(n) if n < self.max_delay.as_nanos() => {
                // Below max_delay, so it fits in a Duration.
                Duration::from_nanos(u64::try_from(n).unwrap_or(u64::MAX))
            }
            _ => self.max_delay,
        }
    }

    /// The next attempt after `attempts` failed ones (0: never tried, so now). The delay is drawn uniformly
    /// below the ceiling ("full jitter"): `jitter` is a random number in [0, 1) from the caller; values out of
    /// range are clamped. The last attempt falls on the deadline `created + max_age`; after it, `GiveUp`.
    pub fn next_attempt(
        &self,
        attempts: u32,
        created: DateTime<Utc>,
        now: DateTime<Utc>,
        jitter: f64,
    ) -> NextAttempt {
        let deadline = TimeDelta::from_std(self.max_age)
            .ok()
            .and_then(|age| created.checked_add_signed(age))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        if now >= deadline {
            return NextAttempt::GiveUp;
        }
        if attempts == 0 {
            return NextAttempt::At(now);
        }
        let jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        let delay = self.ceiling(attempts).mul_f64(jitter);
        let at = TimeDelta::from_std(delay)
            .ok()
            .and_then(|d| now.checked_add_signed(d))
            .unwrap_or(deadline);
        NextAttempt::At(at.min(deadline))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn ceiling_doubles_up_to_the_maximum() {
        let b = Backoff::default();
        let secs: Vec<u64> = (1..=12).map(|n| b.ceiling(n).as_secs()).collect();
        assert_eq!(secs, vec![1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600]);
        assert_eq!(b.ceiling(0), Duration::from_secs(1));
        assert_eq!(b.ceiling(u32::MAX), b.max_delay);
    }

    #[test]
    fn schedule_table() {
        let b = Backoff::default();
        let at = |attempts, now_after: i64, jitter| {
            b.next_attempt(attempts, t0(), t0() + TimeDelta::seconds(now_after), jitter)
        };
        let now = t0() + TimeDelta::seconds(100);
        assert_eq!(at(0, 100, 0.9), NextAttempt::At(now));
        assert_eq!(at(1, 100, 0.0), NextAttempt::At(now));
        assert_eq!(
            at(1, 100, 0.5),
            NextAttempt::At(now + TimeDelta::milliseconds(500))
        );
        assert_eq!(
            at(4, 100, 0.5),
            NextAttempt::At(now + TimeDelta::seconds(4))
        );
        assert_eq!(
            at(30, 100, 0.5),
            NextAttempt::At(now + TimeDelta::seconds(300))
        );
        // Out-of-range jitter is clamped, NaN counts as 0.
        assert_eq!(
            at(4, 100, 7.0),
            NextAttempt::At(now + TimeDelta::seconds(8))
        );
        assert_eq!(at(4, 100, f64::NAN), NextAttempt::At(now));
        // Close to the deadline the attempt is moved onto it; at or after it, give up.
        let deadline = t0() + TimeDelta::hours(12);
        assert_eq!(at(30, 12 * 3600 - 10, 0.9), NextAttempt::At(deadline));
        assert_eq!(at(30, 12 * 3600, 0.1), NextAttempt::GiveUp);
        assert_eq!(at(0, 13 * 3600, 0.1), NextAttempt::GiveUp);
    }

    proptest! {
        #[test]
        fn next_attempt_stays_between_now_and_the_deadline(
            attempts in 0u32..200,
            elapsed_ms in 0i64..(13 * 3600 * 1000),
            jitter in -1.0f64..2.0,
            factor in 0u32..10,
            base_ms in 0u64..100_000,
        ) {
            let b = Backoff { base: Duration::from_millis(base_ms), factor, ..Backoff::default() };
            let now = t0() + TimeDelta::milliseconds(elapsed_ms);
            let deadline = t0() + TimeDelta::hours(12);
            match b.next_attempt(attempts, t0(), now, jitter) {
                NextAttempt::At(at) => {
                    prop_assert!(now < deadline);
                    prop_assert!(at >= now && at <= deadline);
                    let ceiling = TimeDelta::from_std(b.ceiling(attempts.max(1))).unwrap();
                    prop_assert!(at - now <= ceiling);
                }
                NextAttempt::GiveUp => prop_assert!(now >= deadline),
            }
        }
    }
}
