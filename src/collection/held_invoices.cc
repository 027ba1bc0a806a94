#include "collection/held_invoices.h"

#include <fmt/format.h>

namespace cartera {

std::string HeldInvoicesSql(std::string_view customer_filter) {
  // Each arm selects invoice_id from a table whose rows carry tenant_id and
  // customer_id; the tenant is bound once through the CTE.
  return fmt::format(
      "WITH t AS (SELECT CAST(? AS BIGINT) AS id) "
      "SELECT invoice_id, 'dispute', 0 FROM disputes, t WHERE tenant_id = t.id AND status = 'open'{0}"
      // An open agency or legal case (escalation/escalation.h).
      " UNION ALL SELECT invoice_id, 'escalation', 0 FROM escalation_invoices, t WHERE tenant_id = t.id AND held = 1{0}"
      // An active payment plan (agreements/payment_plans.h): installment reminders instead.
      " UNION ALL SELECT invoice_id, 'payment_plan', plan_id FROM plan_invoices, t WHERE tenant_id = t.id AND "
      "active = 1{0}",
      customer_filter);
}

HeldReason HeldReasonOf(std::string_view reason) {
  if (reason == "payment_plan") return HeldReason::kPaymentPlan;
  if (reason == "escalation") return HeldReason::kEscalation;
  return HeldReason::kDispute;
}

}  // namespace cartera
