#include "domain/aging.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cartera {
namespace {

AgingLine LineFor(const AgingBuckets& buckets) {
  AgingLine line;
  line.currency = "COP";
  line.bucket_minor.assign(buckets.count(), 0);
  line.bucket_count.assign(buckets.count(), 0);
  return line;
}

TEST(AgingBucketsTest, DefaultBucketFor) {
  const AgingBuckets buckets;
  ASSERT_EQ(buckets.count(), 6u);
  EXPECT_EQ(buckets.BucketFor(-5), 0u);
  EXPECT_EQ(buckets.BucketFor(0), 0u);
  EXPECT_EQ(buckets.BucketFor(1), 1u);
  EXPECT_EQ(buckets.BucketFor(30), 1u);
  EXPECT_EQ(buckets.BucketFor(31), 2u);
  EXPECT_EQ(buckets.BucketFor(60), 2u);
  EXPECT_EQ(buckets.BucketFor(61), 3u);
  EXPECT_EQ(buckets.BucketFor(90), 3u);
  EXPECT_EQ(buckets.BucketFor(91), 4u);
  EXPECT_EQ(buckets.BucketFor(180), 4u);
  EXPECT_EQ(buckets.BucketFor(181), 5u);
  EXPECT_EQ(buckets.BucketFor(1000), 5u);
  EXPECT_EQ(buckets.BucketFor(std::numeric_limits<int32_t>::max()), 5u);
  EXPECT_EQ(buckets.BucketFor(std::numeric_limits<int32_t>::min()), 0u);
}

TEST(AgingBucketsTest, DefaultKeysAndTitles) {
  const AgingBuckets buckets;
  const std::vector<std::string> keys = {"not_due", "1_30", "31_60", "61_90", "91_180", "over_180"};
  const std::vector<std::string> titles = {"Not due", "1-30", "31-60", "61-90", "91-180", ">180"};
  for (size_t i = 0; i < buckets.count(); ++i) {
    EXPECT_EQ(buckets.Key(i), keys[i]) << i;
    EXPECT_EQ(buckets.Title(i), titles[i]) << i;
  }
}

TEST(AgingBucketsTest, ParseDefaultEquivalent) {
  auto parsed = AgingBuckets::Parse("30,60,90,180");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const AgingBuckets defaults;
  ASSERT_EQ(parsed->count(), defaults.count());
  for (size_t i = 0; i < defaults.count(); ++i) EXPECT_EQ(parsed->Key(i), defaults.Key(i));
  for (int32_t days = -3; days < 400; ++days) EXPECT_EQ(parsed->BucketFor(days), defaults.BucketFor(days)) << days;
}

TEST(AgingBucketsTest, ParseCustom) {
  auto parsed = AgingBuckets::Parse("15,45");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const AgingBuckets& buckets = *parsed;
  ASSERT_EQ(buckets.count(), 4u);
  EXPECT_EQ(buckets.Key(0), "not_due");
  EXPECT_EQ(buckets.Key(1), "1_15");
  EXPECT_EQ(buckets.Key(2), "16_45");
  EXPECT_EQ(buckets.Key(3), "over_45");
  EXPECT_EQ(buckets.Title(0), "Not due");
  EXPECT_EQ(buckets.Title(1), "1-15");
  EXPECT_EQ(buckets.Title(2), "16-45");
  EXPECT_EQ(buckets.Title(3), ">45");
  EXPECT_EQ(buckets.BucketFor(0), 0u);
  EXPECT_EQ(buckets.BucketFor(1), 1u);
  EXPECT_EQ(buckets.BucketFor(15), 1u);
  EXPECT_EQ(buckets.BucketFor(16), 2u);
  EXPECT_EQ(buckets.BucketFor(45), 2u);
  EXPECT_EQ(buckets.BucketFor(46), 3u);
}

TEST(AgingBucketsTest, ParseSingleBound) {
  auto parsed = AgingBuckets::Parse("30");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->count(), 3u);
  EXPECT_EQ(parsed->Key(1), "1_30");
  EXPECT_EQ(parsed->Key(2), "over_30");
  EXPECT_EQ(parsed->BucketFor(31), 2u);
  // A bound of 1 makes a one-day bucket.
  auto one = AgingBuckets::Parse("1,2");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->Key(1), "1_1");
  EXPECT_EQ(one->Key(2), "2_2");
  EXPECT_EQ(one->Title(3), ">2");
}

TEST(AgingBucketsTest, ParseErrors) {
  for (std::string_view text : {"30,20", "30,30", "0", "-5", "a", "", "30,", ",30", "30,,60", "30, 60", " 30", "30x",
                                "1.5", "99999999999"}) {
    auto parsed = AgingBuckets::Parse(text);
    ASSERT_FALSE(parsed.has_value()) << "'" << text << "' parsed with " << parsed->count() << " buckets";
    EXPECT_EQ(parsed.error().code, ErrorCode::kBadInput) << text;
    EXPECT_NE(parsed.error().message.find("'" + std::string(text) + "'"), std::string::npos)
        << parsed.error().message;
  }
  auto decreasing = AgingBuckets::Parse("30,20");
  ASSERT_FALSE(decreasing.has_value());
  EXPECT_NE(decreasing.error().message.find("bounds must increase"), std::string::npos);
  auto zero = AgingBuckets::Parse("0");
  ASSERT_FALSE(zero.has_value());
  EXPECT_NE(zero.error().message.find("not a positive number of days"), std::string::npos);
}

TEST(AgingTest, DaysPastDue) {
  const Date due = Date::FromYmd(2025, 1, 31);
  EXPECT_EQ(DaysPastDue(due, Date::FromYmd(2025, 1, 31)), 0);
  EXPECT_EQ(DaysPastDue(due, Date::FromYmd(2025, 3, 2)), 30);
  EXPECT_EQ(DaysPastDue(due, Date::FromYmd(2025, 1, 21)), -10);
}

TEST(AgingTest, AddToAgingSumsCountsAndMax) {
  const AgingBuckets buckets;
  AgingLine line = LineFor(buckets);
  ASSERT_TRUE(AddToAging(line, buckets, -5, 1000).has_value());
  ASSERT_TRUE(AddToAging(line, buckets, 10, 200).has_value());
  ASSERT_TRUE(AddToAging(line, buckets, 25, 300).has_value());
  ASSERT_TRUE(AddToAging(line, buckets, 200, 7).has_value());
  ASSERT_TRUE(AddToAging(line, buckets, 45, -50).has_value());  // a negative open amount still counts
  EXPECT_EQ(line.bucket_minor, (std::vector<int64_t>{1000, 500, -50, 0, 0, 7}));
  EXPECT_EQ(line.bucket_count, (std::vector<int64_t>{1, 2, 1, 0, 0, 1}));
  EXPECT_EQ(line.total_minor, 1457);
  EXPECT_EQ(line.total_count, 5);
  EXPECT_EQ(line.max_days_past_due, 200);
  ASSERT_TRUE(AddToAging(line, buckets, 100, 1).has_value());
  EXPECT_EQ(line.max_days_past_due, 200);  // a smaller age does not lower the max
}

TEST(AgingTest, MaxDaysPastDueStaysZeroWhenNothingIsDue) {
  const AgingBuckets buckets;
  AgingLine line = LineFor(buckets);
  ASSERT_TRUE(AddToAging(line, buckets, -30, 10).has_value());
  ASSERT_TRUE(AddToAging(line, buckets, 0, 10).has_value());
  EXPECT_EQ(line.max_days_past_due, 0);
  EXPECT_EQ(line.bucket_minor[0], 20);
  EXPECT_EQ(line.bucket_count[0], 2);
}

TEST(AgingTest, OverflowLeavesLineUnchanged) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const AgingBuckets buckets;
  // The bucket sum overflows.
  AgingLine line = LineFor(buckets);
  ASSERT_TRUE(AddToAging(line, buckets, 10, kMax).has_value());
  const AgingLine before = line;
  auto status = AddToAging(line, buckets, 20, 1);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kOverflow);
  EXPECT_EQ(line.bucket_minor, before.bucket_minor);
  EXPECT_EQ(line.bucket_count, before.bucket_count);
  EXPECT_EQ(line.total_minor, before.total_minor);
  EXPECT_EQ(line.total_count, before.total_count);
  EXPECT_EQ(line.max_days_past_due, before.max_days_past_due);

  // The bucket sum fits but the total overflows: still nothing changes.
  AgingLine other = LineFor(buckets);
  ASSERT_TRUE(AddToAging(other, buckets, 10, kMax).has_value());
  const AgingLine other_before = other;
  status = AddToAging(other, buckets, 500, 1);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kOverflow);
  EXPECT_EQ(other.bucket_minor, other_before.bucket_minor);
  EXPECT_EQ(other.bucket_count, other_before.bucket_count);
  EXPECT_EQ(other.total_minor, other_before.total_minor);
  EXPECT_EQ(other.total_count, other_before.total_count);
  EXPECT_EQ(other.max_days_past_due, 10);  // not raised to 500 by the failed add
}

}  // namespace
}  // namespace cartera
