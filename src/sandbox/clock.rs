//! Timestamps that always move forward, printed the way each vendor's server prints them, so an
//! `updated_at` changes on every update even when two land within one tick of the printed
//! precision.

use serde_json::Value;
use time::format_description::BorrowedFormatItem;

/// How many fractional digits a vendor prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// `2023-11-07T05:31:56.123456Z`, as pydantic prints an aware UTC datetime (Agent Stack).
    Micros,
    /// `2025-01-15T10:30:00.123Z`, as JavaScript's `toISOString` prints (Cargo).
    Millis,
}

const MICROS: &[BorrowedFormatItem<'_>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
);
const MILLIS: &[BorrowedFormatItem<'_>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
);

/// Now, at `precision`, and always later than `previous` (a stamp printed the same way).
pub fn stamp_after(previous: Option<&Value>, precision: Precision) -> Value {
    let (format, tick_nanos) = match precision {
        Precision::Micros => (MICROS, 1_000),
        Precision::Millis => (MILLIS, 1_000_000),
    };
    // Cut to the printed precision first, so "later" is later once printed too.
    let now = time::OffsetDateTime::now_utc();
    let mut now = now
        .replace_nanosecond(now.nanosecond() / tick_nanos * tick_nanos)
        .unwrap_or(now);
    if let Some(before) = previous
        .and_then(Value::as_str)
        .and_then(|text| time::PrimitiveDateTime::parse(text, format).ok())
        .map(time::PrimitiveDateTime::assume_utc)
        && now <= before
    {
        now = before + time::Duration::nanoseconds(i64::from(tick_nanos));
    }
    now.format(format).map_or(Value::Null, Value::String)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::micros(Precision::Micros)]
    #[case::millis(Precision::Millis)]
    fn stamps_taken_in_a_row_always_increase(#[case] precision: Precision) {
        let mut last = stamp_after(None, precision);
        for _ in 0..2000 {
            let next = stamp_after(Some(&last), precision);
            assert!(next.as_str() > last.as_str(), "{next} after {last}");
            last = next;
        }
    }

    #[rstest]
    #[case::micros(
        Precision::Micros,
        "2999-01-01T00:00:00.000000Z",
        "2999-01-01T00:00:00.000001Z"
    )]
    #[case::millis(
        Precision::Millis,
        "2999-01-01T00:00:00.000Z",
        "2999-01-01T00:00:00.001Z"
    )]
    fn stamps_move_forward_by_one_tick(
        #[case] precision: Precision,
        #[case] far: &str,
        #[case] next: &str,
    ) {
        assert_eq!(
            stamp_after(Some(&Value::from(far)), precision),
            Value::from(next)
        );
    }
}
