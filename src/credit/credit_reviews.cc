#include "credit/credit_reviews.h"

#include <fmt/format.h>

#include "core/currency.h"
#include "core/money.h"
#include "core/text_check.h"
#include "credit/credit_policy.h"
#include "credit/credit_rules.h"
#include "engine/segments.h"
#include "report/customer_list.h"
#include "report/output.h"

namespace cartera::credit {
namespace {

nlohmann::json MoneyOrNull(const std::optional<int64_t>& minor, const std::optional<std::string>& currency) {
  return minor && currency ? MoneyJson(*minor, *currency) : nlohmann::json(nullptr);
}

}  // namespace

std::expected<CreditReview, CreditReviewError> RecordCreditReview(Database& database, int64_t tenant_id,
                                                                  const CreditReviewRequest& request,
                                                                  const AuditContext& audit) {
  const Language language = audit.language;
  auto fail = [](Error error, std::string field = "") {
    return std::unexpected(CreditReviewError{std::move(error), std::move(field)});
  };
  if (request.note.empty() || request.note.size() > kReviewNoteBytesMax || !IsCleanText(request.note)) {
    return fail(Error::BadInput(TrFormat(language, "la nota es obligatoria: texto de 1 a {} bytes sin caracteres de control",
                                         "the note is required: text of 1 to {} bytes without control characters",
                                         kReviewNoteBytesMax)),
                "note");
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return fail(transaction.error());
  auto customer = database.Prepare(
      "SELECT id, credit_limit_minor, currency FROM customers WHERE tenant_id = ? AND external_id = ?");
  if (!customer) return fail(customer.error());
  (*customer)->BindInt64(1, tenant_id);
  (*customer)->BindText(2, request.customer_external_id);
  auto found = (*customer)->Step();
  if (!found) return fail(found.error());
  if (!*found) return fail(UnknownCustomer(request.customer_external_id, language));
  CreditReview review;
  const int64_t customer_id = (*customer)->GetInt64(0);
  if (!(*customer)->IsNull(1)) review.limit_before_minor = (*customer)->GetInt64(1);
  review.currency = (*customer)->GetOptionalText(2);
  customer->reset();
  review.limit_after_minor = review.limit_before_minor;
  if (request.new_limit) {
    if (!review.currency) {
      return fail(Error::BadInput(std::string(
                      Tr(language, "el cliente no tiene moneda: importe su moneda antes de darle un cupo",
                         "the customer has no currency: import its currency before giving it a credit limit"))),
                  "limit");
    }
    auto currency = Currency::FromCode(*review.currency);
    if (!currency) return fail(Error::Internal("stored currency is not ISO 4217"));
    auto amount = Money::Parse(*request.new_limit, *currency);
    if (!amount || amount->is_negative() || !IsWithinDocumentAmountLimit(amount->minor_units())) {
      return fail(Error::BadInput(TrFormat(language, "'{}' no es un cupo válido en {} (un valor de 0 en adelante, p. ej. 25000000.00)",
                                           "'{}' is not a valid credit limit in {} (an amount of 0 or more, e.g. 25000000.00)",
                                           *request.new_limit, *review.currency)),
                  "limit");
    }
    review.limit_after_minor = amount->minor_units();
  }
  review.customer_external_id = request.customer_external_id;
  review.reviewed_on = request.reviewed_on.ToIso();
  review.note = request.note;
  review.reviewer = audit.actor;
  review.created_at = audit.at;
  auto insert = database.Prepare(
      "INSERT INTO credit_reviews (tenant_id, customer_id, reviewed_on, note, reviewer, currency, limit_before_minor, "
      "limit_after_minor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!insert) return fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindInt64(2, customer_id);
  (*insert)->BindText(3, review.reviewed_on);
  (*insert)->BindText(4, review.note);
  (*insert)->BindText(5, review.reviewer);
  review.currency ? (*insert)->BindText(6, *review.currency) : (*insert)->BindNull(6);
  review.limit_before_minor ? (*insert)->BindInt64(7, *review.limit_before_minor) : (*insert)->BindNull(7);
  review.limit_after_minor ? (*insert)->BindInt64(8, *review.limit_after_minor) : (*insert)->BindNull(8);
  (*insert)->BindText(9, review.created_at);
  auto inserted = (*insert)->Step();
  if (!inserted) return fail(inserted.error());
  if (!*inserted) return fail(Error::Internal("the review was not stored"));
  review.id = (*insert)->GetInt64(0);
  insert->reset();
  // The timer restarts: due no more, the next one counted from this review.
  auto state = database.Prepare(
      "INSERT INTO customer_credit (tenant_id, customer_id, review_due, last_reviewed_on, last_reviewed_at, "
      "updated_at) VALUES (?, ?, 0, ?, ?, ?) ON CONFLICT (tenant_id, customer_id) DO UPDATE SET review_due = 0, "
      "review_reason = NULL, review_since = NULL, last_reviewed_on = excluded.last_reviewed_on, last_reviewed_at = "
      "excluded.last_reviewed_at, updated_at = excluded.updated_at");
  if (!state) return fail(state.error());
  (*state)->BindInt64(1, tenant_id);
  (*state)->BindInt64(2, customer_id);
  (*state)->BindText(3, review.reviewed_on);
  (*state)->BindText(4, audit.at);
  (*state)->BindText(5, audit.at);
  if (auto ok = (*state)->Run(); !ok) return fail(ok.error());
  state->reset();
  if (review.limit_after_minor != review.limit_before_minor) {
    auto update = database.Prepare(
        "UPDATE customers SET credit_limit_minor = ?, updated_at = ? WHERE tenant_id = ? AND id = ?");
    if (!update) return fail(update.error());
    (*update)->BindInt64(1, *review.limit_after_minor);
    (*update)->BindText(2, audit.at);
    (*update)->BindInt64(3, tenant_id);
    (*update)->BindInt64(4, customer_id);
    if (auto ok = (*update)->Run(); !ok) return fail(ok.error());
    const nlohmann::json before = {{"credit_limit", MoneyOrNull(review.limit_before_minor, review.currency)}};
    const nlohmann::json after = {{"credit_limit", MoneyOrNull(review.limit_after_minor, review.currency)}};
    if (auto ok = WriteAudit(database, tenant_id, audit, "customer", customer_id, "update", before.dump(), after.dump());
        !ok) {
      return fail(ok.error());
    }
  }
  if (auto ok = WriteAudit(database, tenant_id, audit, "credit_review", review.id, "create", "",
                           CreditReviewJson(review).dump());
      !ok) {
    return fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return fail(ok.error());
  return review;
}

Result<std::vector<CreditReview>> ListCreditReviews(Database& database, int64_t tenant_id,
                                                    std::string_view customer_external_id, int64_t limit,
                                                    Language language) {
  auto customer_id = CustomerIdByExternalId(database, tenant_id, customer_external_id, language);
  if (!customer_id) return Fail(customer_id.error());
  auto query = database.Prepare(fmt::format(
      "SELECT id, reviewed_on, note, reviewer, currency, limit_before_minor, limit_after_minor, created_at FROM "
      "credit_reviews WHERE tenant_id = ? AND customer_id = ? ORDER BY id DESC LIMIT {}",
      std::max<int64_t>(limit, 1)));
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, *customer_id);
  std::vector<CreditReview> reviews;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return reviews;
    const Statement& r = **query;
    CreditReview review;
    review.id = r.GetInt64(0);
    review.customer_external_id = std::string(customer_external_id);
    review.reviewed_on = r.GetText(1);
    review.note = r.GetText(2);
    review.reviewer = r.GetText(3);
    review.currency = r.GetOptionalText(4);
    if (!r.IsNull(5)) review.limit_before_minor = r.GetInt64(5);
    if (!r.IsNull(6)) review.limit_after_minor = r.GetInt64(6);
    review.created_at = r.GetText(7);
    reviews.push_back(std::move(review));
  }
}

nlohmann::json CreditReviewJson(const CreditReview& review) {
  return {{"id", review.id},
          {"object", "credit_review"},
          {"customer_external_id", review.customer_external_id},
          {"reviewed_on", review.reviewed_on},
          {"note", review.note},
          {"reviewer", review.reviewer},
          {"limit_before", MoneyOrNull(review.limit_before_minor, review.currency)},
          {"limit_after", MoneyOrNull(review.limit_after_minor, review.currency)},
          {"created_at", review.created_at}};
}

Result<std::vector<DueReview>> LoadDueReviews(Database& database, int64_t tenant_id,
                                              const std::optional<std::string>& collector, int64_t limit,
                                              const std::optional<std::string>& free_for) {
  auto policy = LoadCreditPolicy(database, tenant_id);
  if (!policy) return Fail(policy.error());
  // The customer's currency, else that of its oldest open debt; its open
  // amount in it. Bounded by LIMIT: the subqueries run for the page only.
  const std::string currency =
      "COALESCE(c.currency, (SELECT MIN(i2.currency) FROM invoices i2 WHERE i2.tenant_id = c.tenant_id AND "
      "i2.customer_id = c.id AND i2.open_minor <> 0))";
  auto query = database.Prepare(fmt::format(
      "SELECT c.external_id, c.name, COALESCE(s.behaviour_segment, 'new'), COALESCE(s.segment_reason, ''), "
      "cc.review_reason, cc.review_since, {0}, (SELECT CAST(SUM(i.open_minor) AS BIGINT) FROM invoices i WHERE "
      "i.tenant_id = c.tenant_id AND i.customer_id = c.id AND i.open_minor <> 0 AND i.currency = {0}), (SELECT "
      "p.value FROM contact_points p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id AND p.channel = 'phone' "
      "AND p.is_primary = 1 LIMIT 1), COALESCE(c.collector, '') FROM customer_credit cc JOIN customers c ON "
      "c.tenant_id = cc.tenant_id AND c.id = cc.customer_id LEFT JOIN customer_segments s ON s.tenant_id = "
      "c.tenant_id AND s.customer_id = c.id WHERE cc.tenant_id = ? AND cc.review_due = 1{1}{2} ORDER BY "
      "cc.review_since, c.external_id LIMIT {3}",
      currency, collector ? " AND c.collector = ?" : "", free_for ? " AND (c.collector IS NULL OR c.collector = ?)" : "",
      std::max<int64_t>(limit, 1)));
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (collector) (*query)->BindText(parameter++, *collector);
  if (free_for) (*query)->BindText(parameter++, *free_for);
  std::vector<DueReview> due;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return due;
    const Statement& r = **query;
    DueReview review;
    review.customer_external_id = r.GetText(0);
    review.customer_name = r.GetText(1);
    review.segment = r.GetText(2);
    review.history = SegmentReasonCode(r.GetText(3));
    review.reason = r.IsNull(4) ? std::string(kReviewPeriodic) : std::string(r.GetText(4));
    CustomerCreditState state;
    state.review_due = true;
    state.review_reason = review.reason;
    state.review_since = r.GetOptionalText(5);
    review.due_on = ReviewDueOn(*policy, review.segment, state, "").value_or("");
    if (r.IsNull(6)) continue;  // no currency to show an amount in
    review.currency = r.GetText(6);
    review.open_minor = r.IsNull(7) ? 0 : r.GetInt64(7);
    review.phone = r.IsNull(8) ? "" : std::string(r.GetText(8));
    review.assignee = r.GetText(9);
    due.push_back(std::move(review));
  }
}

}  // namespace cartera::credit
