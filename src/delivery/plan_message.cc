#include "delivery/plan_message.h"

#include <nlohmann/json.hpp>

namespace cartera::delivery {

void ApplyPlanPayload(const nlohmann::json& payload, templates::MessageContext& context) {
  if (!payload.is_object()) return;
  const auto plan = payload.find("plan");
  if (plan == payload.end() || !plan->is_object()) return;
  const auto number = plan->find("installment");
  const auto due = plan->find("installment_due_date");
  const auto owed = plan->find("installment_minor");
  if (number == plan->end() || !number->is_number_integer() || due == plan->end() || !due->is_string() ||
      owed == plan->end() || !owed->is_number_integer()) {
    return;
  }
  auto date = Date::ParseIso(due->get<std::string>());
  if (!date) return;
  context.installment =
      templates::MessageContext::PlanInstallment{number->get<int32_t>(), *date, owed->get<int64_t>()};
}

}  // namespace cartera::delivery
