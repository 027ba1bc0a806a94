#include "delivery/provider_answer.h"

#include <chrono>

namespace cartera::delivery {

SendOutcome NoAnswerOutcome(const HttpAnswer& answer) {
  if (answer.request_sent) return {SendResult::kUnknown, "no answer after the request was sent: " + answer.error};
  return {SendResult::kTransient, answer.error};
}

std::optional<SendOutcome> ServerFailureOutcome(const HttpAnswer& answer, const std::string& detail) {
  if (answer.status >= 500) {
    return SendOutcome{SendResult::kUnknown, detail + " (after the request was sent: it may have been accepted)"};
  }
  if (answer.status == 429) {
    SendOutcome outcome{SendResult::kTransient, detail};
    if (answer.retry_after_seconds) outcome.retry_after = std::chrono::seconds(*answer.retry_after_seconds);
    return outcome;
  }
  return std::nullopt;
}

}  // namespace cartera::delivery
