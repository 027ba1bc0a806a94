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
  EXPECT_NE(DescribeSegmentReason(segment.reason, Language::kEnglish).find("1 of 4 invoices late"), std::string::npos);
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

// The reason is a stable code and figures (stored, JSON), worded per
// language only when printed: Spanish output once read "4 of 4 invoices late".
TEST(Segments, ReasonIsACodeWordedPerLanguage) {
  auto segment = ComputeSegment({Paid("2026-01-10", "2026-01-30"), Paid("2026-02-10", "2026-02-11"),
                                 Paid("2026-03-10", "2026-03-11"), Paid("2026-04-10", "2026-04-11")},
                                0, D("2026-05-01"));
  EXPECT_EQ(segment.reason, "sometimes_late;late=1;considered=4;average_days=20;over_60_percent=0;broken_promises=0");
  EXPECT_EQ(SegmentReasonCode(segment.reason), "sometimes_late");
  EXPECT_EQ(SegmentReasonFigures(segment.reason).invoices_considered, 4);
  EXPECT_EQ(DescribeSegmentReason(segment.reason, Language::kSpanish),
            "a veces paga tarde: 1 de 4 facturas con atraso (promedio 20 días), 0% del saldo abierto con más de 60 "
            "días, 0 promesas incumplidas");
  EXPECT_EQ(DescribeSegmentReason(segment.reason, Language::kEnglish),
            "sometimes pays late: 1 of 4 invoices late (average 20 days), 0% of the open balance over 60 days, 0 "
            "broken promises");
  // Text stored before reasons were codes is shown as it is.
  EXPECT_EQ(DescribeSegmentReason("3 of 4 invoices late", Language::kSpanish), "3 of 4 invoices late");
  EXPECT_EQ(SegmentReasonCode("3 of 4 invoices late"), "");
}

}  // namespace
}  // namespace cartera
