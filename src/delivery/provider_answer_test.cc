// Regression (issue 14): a Twilio or Meta 5xx after the request had left
// was retried as transient, so a message the provider had sent anyway
// could go out twice.
#include "delivery/provider_answer.h"

#include <gtest/gtest.h>

namespace cartera::delivery {
namespace {

HttpAnswer Answered(long status, std::optional<int64_t> retry_after = std::nullopt) {
  HttpAnswer answer;
  answer.reached = true;
  answer.status = status;
  answer.retry_after_seconds = retry_after;
  return answer;
}

TEST(ProviderAnswer, AFiveHundredAfterTheRequestLeftIsUnknown) {
  for (long status : {500L, 502L, 503L, 504L}) {
    auto outcome = ServerFailureOutcome(Answered(status), "HTTP 503 (Twilio 20503): Service Unavailable");
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->result, SendResult::kUnknown) << status;
    EXPECT_TRUE(outcome->detail.starts_with("HTTP 503 (Twilio 20503): Service Unavailable")) << outcome->detail;
  }
}

TEST(ProviderAnswer, TooManyRequestsIsTransientAfterTheWaitTheProviderAsks) {
  auto with_wait = ServerFailureOutcome(Answered(429, 30), "HTTP 429 (Twilio 20429): Too Many Requests");
  ASSERT_TRUE(with_wait);
  EXPECT_EQ(with_wait->result, SendResult::kTransient);
  EXPECT_EQ(with_wait->retry_after, std::chrono::seconds(30));
  auto without = ServerFailureOutcome(Answered(429), "HTTP 429");
  ASSERT_TRUE(without);
  EXPECT_EQ(without->result, SendResult::kTransient);
  EXPECT_FALSE(without->retry_after);
  EXPECT_FALSE(ServerFailureOutcome(Answered(400), "HTTP 400")) << "4xx: each provider reads its codes";
}

TEST(ProviderAnswer, NoAnswerIsTransientOnlyBeforeTheRequestLeft) {
  HttpAnswer refused;
  refused.error = "Couldn't connect to server";
  EXPECT_EQ(NoAnswerOutcome(refused).result, SendResult::kTransient);
  HttpAnswer timed_out;
  timed_out.error = "Timeout was reached";
  timed_out.request_sent = true;
  EXPECT_EQ(NoAnswerOutcome(timed_out).result, SendResult::kUnknown);
}

}  // namespace
}  // namespace cartera::delivery
