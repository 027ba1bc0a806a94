// A payment plan's messages (plan_installment_due, plan_installment_missed,
// plan_broken): the run's outbox payload names the plan and installment
// ("plan": {"id", "installment", "installment_due_date",
// "installment_minor"}, collection/day_plan.cc); this puts them in the
// message context, where the templates read installment_number,
// installment_amount and installment_due_date.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "templates/message_renderer.h"

namespace cartera::delivery {

// Does nothing when the payload names no plan or no installment.
void ApplyPlanPayload(const nlohmann::json& payload, templates::MessageContext& context);

}  // namespace cartera::delivery
