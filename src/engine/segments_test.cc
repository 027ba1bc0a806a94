#include "engine/segments.h"

#include <gtest/gtest.h>

namespace cartera {
namespace {

Date D(const char* text) { return *Date::ParseIso(text); }

PaymentRecord Paid(const char* due, const char* settled) { return {D(due), 100, 0, D(settled)}; }
PaymentRecord Open(const char* due, int64_t open) { return {D(due), open, open, Date()}; }

TEST(Segments, HabitualPaysWithinGrace) {
  auto segment = ComputeSegment({Paid("2026-01-10", "2026-01-12"), Paid("2026-02-10", "2026-02-15"),
                                 Paid("2026-03-10", "2026-03-01")},
                                0, D("2026-04-01"));
  EXPECT_EQ(segment.segment, "habitual");
  EXPECT_FALSE(segment.ever_late);
  EXPECT_EQ(segment.figures.invoices_considered, 3);
}

TEST(Segments, OccasionalSometimesLate) {
  auto segment = ComputeSegment({Paid("2026-01-10", "2026-01-30"), Paid("2026-02-10", "2026-02-11"),
                                 Paid("2026-03-10", "2026-03-11"), Paid("2026-04-10", "2026-04-11")},
                                0, D("2026-05-01"));
  EXPECT_EQ(segment.segment, "occasional");
  EXPECT_EQ(segment.figures.invoices_late, 1);
  EXPECT_EQ(segment.figures.average_days_late, 20);
  EXPECT_NE(segment.reason.find("1 of 4 invoices late"), std::string::npos);
}

TEST(Segments, HighRiskByChronicLatenessBrokenPromisesOrOldBalance) {
  auto chronic = ComputeSegment({Paid("2026-01-10", "2026-03-01"), Paid("2026-02-10", "2026-04-01"),
                                 Paid("2026-03-10", "2026-03-11")},
                                0, D("2026-05-01"));
  EXPECT_EQ(chronic.segment, "high_risk");
  EXPECT_TRUE(chronic.chronic_late_payer);
  auto promises = ComputeSegment({Paid("2026-01-10", "2026-01-10")}, 2, D("2026-05-01"));
  EXPECT_EQ(promises.segment, "high_risk");
  auto old_balance = ComputeSegment({Open("2026-01-10", 600), Open("2026-04-25", 400)}, 0, D("2026-05-01"));
  EXPECT_EQ(old_balance.figures.over_60_percent, 60);
  EXPECT_EQ(old_balance.segment, "high_risk");
}

TEST(Segments, NewWithLittleHistory) {
  EXPECT_EQ(ComputeSegment({Paid("2026-01-10", "2026-01-10")}, 0, D("2026-05-01")).segment, "new");
  EXPECT_EQ(ComputeSegment({}, 0, D("2026-05-01")).segment, "new");
}

TEST(Segments, ThresholdsAreConfigurable) {
  SegmentThresholds strict;
  strict.grace_days = 0;
  auto segment = ComputeSegment({Paid("2026-01-10", "2026-01-12"), Paid("2026-02-10", "2026-02-10"),
                                 Paid("2026-03-10", "2026-03-10"), Paid("2026-04-10", "2026-04-10")},
                                0, D("2026-05-01"), strict);
  EXPECT_EQ(segment.segment, "occasional");
}

TEST(Segments, SizeByWeightInReceivables) {
  // 70 + 20 + 6 + 3 + 1 = 100.
  auto sizes = ComputeSizeSegments({6, 70, 1, 20, 3});
  EXPECT_EQ(std::string(sizes.begin(), sizes.end()), "BACAC");
  EXPECT_EQ(ComputeSizeSegments({0, 0}), (std::vector<char>{'C', 'C'}));
}

}  // namespace
}  // namespace cartera
