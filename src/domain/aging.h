// Aging: open balances split into buckets of days past due.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace cartera {

// Bucket boundaries in days past due. The default {30, 60, 90, 180} gives
// not due (<= 0), 1-30, 31-60, 61-90, 91-180 and >180.
class AgingBuckets {
 public:
  AgingBuckets() : upper_bounds_{30, 60, 90, 180} {}
  // "30,60,90,180": strictly increasing positive integers.
  static Result<AgingBuckets> Parse(std::string_view text);

  size_t count() const { return upper_bounds_.size() + 2; }
  // 0 = not due, then one per range, the last is open-ended.
  size_t BucketFor(int32_t days_past_due) const;
  // "not_due", "1_30", ..., "over_180": stable keys for JSON and CSV.
  std::string Key(size_t bucket) const;
  // "Not due", "1-30", ..., ">180": column titles for tables.
  std::string Title(size_t bucket) const;

 private:
  std::vector<int32_t> upper_bounds_;
};

// Days past due on `as_of` (negative when not yet due).
inline int32_t DaysPastDue(Date due_date, Date as_of) { return DaysBetween(due_date, as_of); }

// One customer's (or the total's) open balance in one currency by bucket.
struct AgingLine {
  int64_t customer_id = 0;
  std::string customer_external_id;
  std::string customer_name;
  std::string currency;
  std::vector<int64_t> bucket_minor;  // sized to AgingBuckets::count()
  std::vector<int64_t> bucket_count;
  int64_t total_minor = 0;
  int64_t total_count = 0;
  int32_t max_days_past_due = 0;
  // Payments and credit notes not applied to any invoice: money in the
  // customer's favour. The balance is total_minor - credit_minor.
  int64_t credit_minor = 0;
};

// Adds one open invoice to a line. REQUIRES: line sized for `buckets`.
// Overflow of a sum is an error: the line is left as it was.
Status AddToAging(AgingLine& line, const AgingBuckets& buckets, int32_t days_past_due, int64_t open_minor);

}  // namespace cartera
