#include "domain/aging.h"

#include <charconv>

#include <fmt/format.h>

#include "core/money.h"

namespace cartera {

Result<AgingBuckets> AgingBuckets::Parse(std::string_view text) {
  AgingBuckets buckets;
  buckets.upper_bounds_.clear();
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    int32_t value = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc() || ptr != part.data() + part.size() || value <= 0) {
      return Fail(Error::BadInput(fmt::format("buckets '{}': '{}' is not a positive number of days", text, part)));
    }
    if (!buckets.upper_bounds_.empty() && value <= buckets.upper_bounds_.back()) {
      return Fail(Error::BadInput(fmt::format("buckets '{}': bounds must increase", text)));
    }
    buckets.upper_bounds_.push_back(value);
    start = end + 1;
  }
  return buckets;
}

size_t AgingBuckets::BucketFor(int32_t days_past_due) const {
  if (days_past_due <= 0) return 0;
  for (size_t i = 0; i < upper_bounds_.size(); ++i) {
    if (days_past_due <= upper_bounds_[i]) return i + 1;
  }
  return upper_bounds_.size() + 1;
}

std::string AgingBuckets::Key(size_t bucket) const {
  if (bucket == 0) return "not_due";
  if (bucket > upper_bounds_.size()) return fmt::format("over_{}", upper_bounds_.back());
  const int32_t low = bucket == 1 ? 1 : upper_bounds_[bucket - 2] + 1;
  return fmt::format("{}_{}", low, upper_bounds_[bucket - 1]);
}

std::string AgingBuckets::Title(size_t bucket) const {
  if (bucket == 0) return "Not due";
  if (bucket > upper_bounds_.size()) return fmt::format(">{}", upper_bounds_.back());
  const int32_t low = bucket == 1 ? 1 : upper_bounds_[bucket - 2] + 1;
  return fmt::format("{}-{}", low, upper_bounds_[bucket - 1]);
}

Status AddToAging(AgingLine& line, const AgingBuckets& buckets, int32_t days_past_due, int64_t open_minor) {
  const size_t bucket = buckets.BucketFor(days_past_due);
  auto bucket_sum = CheckedAdd(line.bucket_minor[bucket], open_minor);
  if (!bucket_sum) return Fail(bucket_sum.error());
  auto total = CheckedAdd(line.total_minor, open_minor);
  if (!total) return Fail(total.error());
  line.bucket_minor[bucket] = *bucket_sum;
  line.total_minor = *total;
  ++line.bucket_count[bucket];
  ++line.total_count;
  if (days_past_due > line.max_days_past_due) line.max_days_past_due = days_past_due;
  return {};
}

}  // namespace cartera
