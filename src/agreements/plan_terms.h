// The terms PDF of a stored plan: the debtor and letterhead read from the
// database, rendered by pdf/plan_terms_pdf.h in the debtor's language.
#pragma once

#include <string>

#include "agreements/payment_plans.h"

namespace cartera {

// The same plan terms give the same bytes (AcceptPlan records their hash).
Result<std::string> RenderPlanTerms(Database& database, int64_t tenant_id, const PlanRecord& plan);

}  // namespace cartera
