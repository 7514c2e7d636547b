//! The per-partner rate limit of an agreement: a token bucket that refills continuously, driven by the time
//! the caller passes in.

use chrono::{DateTime, Utc};

use crate::Agreement;

/// Credit is counted in 1/60,000,000 of a token so that a rate per minute refills an exact integer amount
/// per microsecond: no floating-point drift however long the bucket lives.
const UNITS_PER_TOKEN: u64 = 60_000_000;

/// A token bucket: up to `burst` requests at once, then `per_minute` spread over each minute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimiter {
    per_minute: u32,
    capacity: u64,
    credit: u64,
    last: Option<DateTime<Utc>>,
}

impl RateLimiter {
    /// A full bucket. A `burst` of 0 is taken as 1.
    pub fn new(per_minute: u32, burst: u32) -> Self {
        let capacity = u64::from(burst.max(1)) * UNITS_PER_TOKEN;
        RateLimiter {
            per_minute,
            capacity,
            credit: capacity,
            last: None,
        }
    }

    /// The limiter of an agreement: a minute's worth of requests may come at once (a manifest screened
    /// against partners sends its travellers together), then the agreed rate.
    pub fn for_agreement(agreement: &Agreement) -> Self {
        RateLimiter::new(
            agreement.rate_limit_per_minute,
            agreement.rate_limit_per_minute,
        )
    }

    fn refill(&mut self, now: DateTime<Utc>) {
        match self.last {
            // A clock that steps back refills nothing and does not move the reference point back either.
            Some(last) if now <= last => {}
            Some(last) => {
                let micros =
                    u64::try_from((now - last).num_microseconds().unwrap_or(i64::MAX)).unwrap_or(0);
                let added = micros.saturating_mul(u64::from(self.per_minute));
                self.credit = self.credit.saturating_add(added).min(self.capacity);
                self.last = Some(now);
            }
            None => self.last = Some(now),
        }
    }

    /// Takes one token if there is one.
    pub fn try_take(&mut self, now: DateTime<Utc>) -> bool {
        self.refill(now);
        if self.credit >= UNITS_PER_TOKEN {
            self.credit -= UNITS_PER_TOKEN;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn burst_then_the_agreed_rate() {
        let mut limiter = RateLimiter::new(60, 3);
        let taken = (0..5).filter(|_| limiter.try_take(t0())).count();
        assert_eq!(taken, 3);
        // 60 per minute is one per second.
        assert!(!limiter.try_take(t0() + TimeDelta::milliseconds(999)));
        assert!(limiter.try_take(t0() + TimeDelta::milliseconds(1000)));
        assert!(!limiter.try_take(t0() + TimeDelta::milliseconds(1500)));
        // A long pause fills the bucket, never above the burst.
        let later = t0() + TimeDelta::hours(5);
        let taken = (0..10).filter(|_| limiter.try_take(later)).count();
        assert_eq!(taken, 3);
    }

    #[test]
    fn clock_going_back_gives_nothing() {
        let mut limiter = RateLimiter::new(60, 1);
        assert!(limiter.try_take(t0()));
        assert!(!limiter.try_take(t0() - TimeDelta::hours(1)));
        assert!(!limiter.try_take(t0() + TimeDelta::milliseconds(500)));
        assert!(limiter.try_take(t0() + TimeDelta::seconds(1)));
    }

    #[test]
    fn zero_rate_allows_only_the_burst() {
        let mut limiter = RateLimiter::new(0, 0);
        assert!(limiter.try_take(t0()));
        assert!(!limiter.try_take(t0() + TimeDelta::days(400)));
    }

    proptest! {
        /// Over any run, the requests let through never exceed the burst plus the rate times the elapsed time.
        #[test]
        fn never_more_than_burst_plus_rate(
            per_minute in 1u32..5_000,
            burst in 1u32..100,
            steps in proptest::collection::vec(0i64..5_000, 1..300),
        ) {
            let mut limiter = RateLimiter::new(per_minute, burst);
            let mut now = t0();
            let mut taken = 0u64;
            for step in steps {
                now += TimeDelta::milliseconds(step);
                if limiter.try_take(now) {
                    taken += 1;
                }
            }
            let elapsed_us = u64::try_from((now - t0()).num_microseconds().unwrap()).unwrap();
            let allowed = u64::from(burst) + elapsed_us * u64::from(per_minute) / UNITS_PER_TOKEN;
            prop_assert!(taken <= allowed, "{taken} > {allowed}");
        }
    }
}
