#include "delivery/pacer.h"

#include <gtest/gtest.h>

namespace cartera::delivery {
namespace {

using namespace std::chrono_literals;

TEST(Pacer, LetsTheLimitThroughThenWaitsForTheWindow) {
  Pacer::Clock::time_point now{};
  std::vector<Pacer::Clock::duration> sleeps;
  Pacer pacer(3, [&] { return now; }, [&](Pacer::Clock::duration d) {
    sleeps.push_back(d);
    now += d;
  });
  pacer.Wait();
  now += 10s;
  pacer.Wait();
  pacer.Wait();
  EXPECT_TRUE(sleeps.empty());
  pacer.Wait();  // the fourth in a minute waits until the first is a minute old
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_EQ(sleeps[0], 50s);
  now += 61s;  // a quiet minute: no wait
  pacer.Wait();
  EXPECT_EQ(sleeps.size(), 1u);
}

TEST(Pacer, NoLimitNeverWaits) {
  int sleeps = 0;
  Pacer pacer(0, [] { return Pacer::Clock::time_point{}; }, [&](Pacer::Clock::duration) { ++sleeps; });
  for (int i = 0; i < 1000; ++i) pacer.Wait();
  EXPECT_EQ(sleeps, 0);
}

}  // namespace
}  // namespace cartera::delivery
