// The terms of a payment plan (acuerdo de pago) as a PDF in the debtor's
// language: the creditor (letterhead), the debtor (address block), the
// invoices covered, the figures (balance, down payment, financed amount,
// interest and its rate, total), the schedule, and what a missed
// installment means (N missed break the plan and the balance is
// collectible again). Deterministic: the same terms give the same bytes (the
// acceptance records their SHA-256). Takes values and reads nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "pdf/documents.h"

namespace cartera::pdf {

struct PlanTermsInvoice {
  std::string number;
  Date due_date;
  int64_t covered_minor = 0;
};

struct PlanTermsInstallment {
  int32_t number = 0;
  Date due_date;
  int64_t amount_minor = 0;
  int64_t interest_minor = 0;
};

struct PlanTerms {
  int64_t plan_id = 0;
  Date proposed_on;
  std::string currency;
  std::string frequency;  // weekly | fortnightly | monthly
  std::vector<PlanTermsInvoice> invoices;
  int64_t balance_minor = 0;
  int64_t down_payment_minor = 0;
  int64_t financed_minor = 0;
  int64_t interest_minor = 0;
  int64_t total_minor = 0;
  std::optional<std::string> annual_rate_percent;  // "24.0000" (effective annual), nullopt: no interest
  int32_t missed_to_break = 2;
  std::vector<PlanTermsInstallment> installments;
};

// kInternal when cairo fails; kBadInput past kPagesMax pages.
Result<std::string> RenderPlanTermsPdf(const PlanTerms& terms, const Addressee& debtor, const PdfLayout& layout);

}  // namespace cartera::pdf
