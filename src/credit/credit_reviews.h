// Periodic credit reviews (docs/credit-policy.md): the run flags a
// customer due (credit/credit_hold.h) every review_months of its segment
// after its last review, and at once after a broken promise or a broken
// payment plan since then. Recording a review stores it, may change the
// credit limit, clears the flag and restarts the timer; the worklist shows
// the due ones as items of kind "credit_review".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::credit {

inline constexpr size_t kReviewNoteBytesMax = 2000;

struct CreditReviewRequest {
  std::string customer_external_id;
  std::optional<std::string> new_limit;  // a decimal amount in the customer's currency ("25000000.00")
  std::string note;
  Date reviewed_on;  // the business date of the review
};

struct CreditReview {
  int64_t id = 0;
  std::string customer_external_id;
  std::string reviewed_on;
  std::string note;
  std::string reviewer;
  std::optional<std::string> currency;
  std::optional<int64_t> limit_before_minor, limit_after_minor;
  std::string created_at;
};

// A failure and the field it is about ("note", "limit"; "" for none), for
// the caller to name as a CLI option or a JSON pointer.
struct CreditReviewError {
  Error error;
  std::string field;
};

// Stores the review in one transaction, audited (entity "credit_review";
// and "customer" with the limit before and after when it changes), and
// clears the customer's due flag. kNotFound for another tenant's or an
// unknown customer; kBadInput (worded in audit.language): an empty or too
// long note, a limit that is not an amount of the customer's currency, is
// negative or above kDocumentAmountMinorMax, or a customer without a
// currency given a limit.
std::expected<CreditReview, CreditReviewError> RecordCreditReview(Database& database, int64_t tenant_id,
                                                                  const CreditReviewRequest& request,
                                                                  const AuditContext& audit);

// The customer's reviews, newest first (at most `limit`).
Result<std::vector<CreditReview>> ListCreditReviews(Database& database, int64_t tenant_id,
                                                    std::string_view customer_external_id, int64_t limit,
                                                    Language language);

// {"id", "object": "credit_review", "customer_external_id", "reviewed_on",
//  "note", "reviewer", "limit_before": money|null, "limit_after":
//  money|null, "created_at"}.
nlohmann::json CreditReviewJson(const CreditReview& review);

// A due review as the worklist shows it.
struct DueReview {
  std::string customer_external_id, customer_name, segment, history;
  std::string reason;     // periodic | broken_promise | broken_plan
  std::string due_on;     // when it became due
  std::string currency;   // the customer's (or of its oldest open debt)
  int64_t open_minor = 0;  // open invoices in that currency
  std::string phone, assignee;
};

// At most `limit` due reviews, the longest due first. `collector` and
// `free_for` filter as collection/worklist.h's LoadWorklist does (the
// assignee of a review is the customer's collector).
Result<std::vector<DueReview>> LoadDueReviews(Database& database, int64_t tenant_id,
                                              const std::optional<std::string>& collector, int64_t limit,
                                              const std::optional<std::string>& free_for);

}  // namespace cartera::credit
