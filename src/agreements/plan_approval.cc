#include "agreements/plan_approval.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/currency.h"
#include "core/money.h"

namespace cartera {
namespace {

__extension__ typedef __int128 PlanWide;  // products of minor units and percentages

nlohmann::json MoneyJson(int64_t minor, std::string_view currency) {
  auto known = Currency::FromCode(currency);
  return {{"amount", FormatMinorUnits(minor, known ? known->exponent() : 2)}, {"currency", std::string(currency)}};
}

// The customer's current plan (active first, then proposed), if any.
Result<std::optional<PlanRecord>> CurrentPlan(Database& database, int64_t tenant_id, int64_t customer_id,
                                              Language language) {
  for (std::string_view status : {kPlanActive, kPlanProposed}) {
    PlanFilter filter;
    filter.customer_id = customer_id;
    filter.status = std::string(status);
    filter.limit = 1;
    filter.language = language;
    auto plans = ListPlans(database, tenant_id, filter);
    if (!plans) return Fail(plans.error());
    if (!plans->empty()) return std::optional<PlanRecord>(plans->front());
  }
  return std::optional<PlanRecord>();
}

Result<bool> HasPendingApproval(Database& database, int64_t tenant_id, int64_t plan_id) {
  auto statement =
      database.Prepare("SELECT 1 FROM plan_approvals WHERE tenant_id = ? AND plan_id = ? AND status = 'pending'");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, tenant_id);
  (*statement)->BindInt64(2, plan_id);
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  return *row;
}

std::vector<PlanLimitViolation> ViolationsFromJson(std::string_view text) {
  std::vector<PlanLimitViolation> violations;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return violations;
  for (const auto& item : parsed) {
    if (!item.is_object()) continue;
    violations.push_back({item.value("code", ""), item.value("field", ""), item.value("message", "")});
  }
  return violations;
}

constexpr std::string_view kSelectApprovals =
    "SELECT a.plan_id, a.status, a.requested_at, a.requested_ip, a.requested_user_agent, a.segment, a.violations, "
    "a.decided_by, a.decided_at, a.decision_reason FROM plan_approvals a JOIN payment_plans p "
    "ON p.tenant_id = a.tenant_id AND p.id = a.plan_id WHERE a.tenant_id = ? "
    "AND (a.status <> 'pending' OR p.status = 'proposed')";

PlanApproval ApprovalFromRow(const Statement& row) {
  PlanApproval approval;
  approval.plan_id = row.GetInt64(0);
  approval.status = std::string(row.GetText(1));
  approval.requested_at = std::string(row.GetText(2));
  approval.requested_ip = std::string(row.GetText(3));
  approval.requested_user_agent = std::string(row.GetText(4));
  approval.segment = std::string(row.GetText(5));
  approval.violations = ViolationsFromJson(row.GetText(6));
  approval.decided_by = row.GetOptionalText(7).value_or("");
  approval.decided_at = row.GetOptionalText(8).value_or("");
  approval.decision_reason = row.GetOptionalText(9).value_or("");
  return approval;
}

// Marks a pending approval decided, audited, in one transaction.
Status Decide(Database& database, int64_t tenant_id, const PlanApproval& before, std::string_view status,
              const std::string& reason, const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto update = database.Prepare(
      "UPDATE plan_approvals SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? "
      "WHERE tenant_id = ? AND plan_id = ? AND status = 'pending'");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, status);
  (*update)->BindText(2, audit.actor);
  (*update)->BindText(3, audit.at);
  (*update)->BindText(4, reason);
  (*update)->BindInt64(5, tenant_id);
  (*update)->BindInt64(6, before.plan_id);
  if (auto ok = (*update)->Run(); !ok) return ok;
  if ((*update)->ChangedRows() != 1) {
    return Fail(Error::Conflict(std::string(
        Tr(audit.language, "la aprobación ya fue decidida", "the approval has already been decided"))));
  }
  update->reset();
  // The audit log's actions are create, update and delete: the decision is in the row.
  const nlohmann::json before_json = {{"status", before.status}};
  const nlohmann::json after_json = {{"status", status}, {"reason", reason}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "plan_approval", before.plan_id, "update", before_json.dump(),
                           after_json.dump());
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

}  // namespace

Result<std::string> CustomerBehaviourSegment(Database& database, int64_t tenant_id, int64_t customer_id) {
  auto statement =
      database.Prepare("SELECT behaviour_segment FROM customer_segments WHERE tenant_id = ? AND customer_id = ?");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, tenant_id);
  (*statement)->BindInt64(2, customer_id);
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::string("new");
  return std::string((*statement)->GetText(0));
}

PlanProposal PortalProposal(const PortalPlanRequest& request) {
  PlanProposal proposal;
  proposal.customer_id = request.customer_id;
  proposal.currency = request.currency;
  proposal.installments = request.installments;
  proposal.frequency = request.frequency;
  proposal.first_date = request.first_date;
  proposal.down_payment_minor = request.down_payment_minor;
  proposal.missed_to_break = std::clamp(request.installments, 1, 2);
  proposal.source = "portal";
  return proposal;
}

Result<nlohmann::json> PortalPlanOptions(Database& database, int64_t tenant_id, int64_t customer_id,
                                         const std::string& currency, Date today, Language language) {
  auto segment = CustomerBehaviourSegment(database, tenant_id, customer_id);
  if (!segment) return Fail(segment.error());
  nlohmann::json options = {{"object", "plan_options"},
                            {"available", false},
                            {"reason", nullptr},
                            {"currency", currency},
                            {"balance", nullptr},
                            {"segment", *segment},
                            {"today", today.ToIso()},
                            {"limits", nullptr},
                            {"frequencies", {"weekly", "fortnightly", "monthly"}},
                            {"current_plan", nullptr},
                            {"awaiting_approval", false}};
  auto current = CurrentPlan(database, tenant_id, customer_id, language);
  if (!current) return Fail(current.error());
  if (*current) {
    auto pending = HasPendingApproval(database, tenant_id, (*current)->id);
    if (!pending) return Fail(pending.error());
    options["current_plan"] = PlanJson(**current);
    options["awaiting_approval"] = *pending;
    options["currency"] = (*current)->currency;
    options["reason"] = (*current)->status == kPlanActive
                            ? Tr(language, "ya tiene un plan de pagos activo", "you already have an active payment plan")
                        : *pending ? Tr(language, "su plan de pagos espera la aprobación de la empresa",
                                        "your payment plan is waiting for the company's approval")
                                   : Tr(language, "hay una propuesta de plan de pagos pendiente",
                                        "a payment plan proposal is pending");
    return options;
  }
  // The balance a plan would cover: a one-installment preview of every open,
  // undisputed invoice of the currency (the plan core's own rules decide it).
  PortalPlanRequest probe;
  probe.customer_id = customer_id;
  probe.currency = currency;
  probe.installments = 1;
  probe.first_date = today;
  auto preview = PreviewPlan(database, tenant_id, PortalProposal(probe), today, language);
  if (!preview) {
    if (preview.error().code == ErrorCode::kStorage || preview.error().code == ErrorCode::kInternal) {
      return Fail(preview.error());
    }
    options["reason"] = preview.error().message;
    return options;
  }
  const std::string& plan_currency = preview->currency;
  const int64_t balance = preview->balance_minor;
  options["available"] = true;
  options["currency"] = plan_currency;
  options["balance"] = MoneyJson(balance, plan_currency);
  auto limits = LoadPlanLimits(database, tenant_id);
  if (!limits) return Fail(limits.error());
  auto rule = MatchPlanLimitRule(limits->rules, *segment, plan_currency, balance);
  if (!rule) return options;
  const int64_t min_down =
      static_cast<int64_t>((static_cast<PlanWide>(balance) * rule->min_down_payment_percent + 99) / 100);
  // The most installments that keep each one at the minimum, paying the least down.
  int64_t by_amount = rule->max_installments;
  if (rule->min_installment_minor > 0) by_amount = (balance - min_down) / rule->min_installment_minor;
  options["limits"] = {
      {"max_installments", rule->max_installments},
      {"max_installments_at_min_down", std::max<int64_t>(0, std::min<int64_t>(rule->max_installments, by_amount))},
      {"min_down_payment_percent", rule->min_down_payment_percent},
      {"min_down_payment", MoneyJson(min_down, plan_currency)},
      {"min_installment", MoneyJson(rule->min_installment_minor, plan_currency)},
      {"max_duration_days", rule->max_duration_days},
      {"earliest_first_date", today.PlusDays(rule->earliest_start_days).ToIso()},
      {"latest_first_date", today.PlusDays(rule->latest_start_days).ToIso()},
      {"last_date_max", today.PlusDays(rule->max_duration_days).ToIso()}};
  return options;
}

Result<PortalPlanOutcome> PreviewPortalPlan(Database& database, int64_t tenant_id, const PortalPlanRequest& request,
                                            Date today, Language language) {
  const PlanProposal proposal = PortalProposal(request);
  auto plan = PreviewPlan(database, tenant_id, proposal, today, language);
  if (!plan) return Fail(plan.error());
  auto segment = CustomerBehaviourSegment(database, tenant_id, request.customer_id);
  if (!segment) return Fail(segment.error());
  auto limits = LoadPlanLimits(database, tenant_id);
  if (!limits) return Fail(limits.error());
  const PlanLimitCheck check =
      CheckPlanLimits(limits->rules, proposal, plan->currency, plan->balance_minor, *segment, today, language);
  return PortalPlanOutcome{std::move(*plan), check.within(), check.violations};
}

Result<PortalPlanOutcome> SubmitPortalPlan(Database& database, int64_t tenant_id, const PortalPlanRequest& request,
                                           Date today, const AuditContext& audit) {
  const Language language = audit.language;
  if (!request.terms_accepted) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "terms_accepted: debe leer y aceptar los términos del plan",
           "terms_accepted: you must read and accept the plan's terms"))));
  }
  auto outcome = PreviewPortalPlan(database, tenant_id, request, today, language);
  if (!outcome) return Fail(outcome.error());
  auto segment = CustomerBehaviourSegment(database, tenant_id, request.customer_id);
  if (!segment) return Fail(segment.error());
  auto proposed = ProposePlan(database, tenant_id, PortalProposal(request), today, audit);
  if (!proposed) return Fail(proposed.error());
  const int64_t plan_id = proposed->id;
  // Undo the proposal when the second step fails: no half-made plan stays.
  auto undo = [&](const Error& error) -> Result<PortalPlanOutcome> {
    (void)CancelPlan(database, tenant_id, plan_id,
                     Tr(language, "no se pudo completar la solicitud del portal", "the portal request failed"), audit);
    return Fail(error);
  };
  if (outcome->within_limits) {
    PlanAcceptance acceptance;
    acceptance.plan_id = plan_id;
    acceptance.accepted_by = "debtor";
    acceptance.channel = "portal";
    acceptance.ip = request.ip;
    acceptance.user_agent = request.user_agent;
    acceptance.accepted_on = today;
    auto accepted = AcceptPlan(database, tenant_id, acceptance, audit);
    if (!accepted) return undo(accepted.error());
    outcome->plan = std::move(*accepted);
    return outcome;
  }
  {
    auto transaction = Transaction::Begin(database);
    if (!transaction) return undo(transaction.error());
    auto insert = database.Prepare(
        "INSERT INTO plan_approvals (tenant_id, plan_id, status, requested_at, requested_ip, requested_user_agent, "
        "segment, violations) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)");
    if (!insert) return undo(insert.error());
    const std::string violations = PlanLimitViolationsJson(outcome->violations).dump();
    (*insert)->BindInt64(1, tenant_id);
    (*insert)->BindInt64(2, plan_id);
    (*insert)->BindText(3, audit.at);
    (*insert)->BindText(4, request.ip);
    (*insert)->BindText(5, request.user_agent.substr(0, 500));
    (*insert)->BindText(6, *segment);
    (*insert)->BindText(7, violations);
    if (auto ok = (*insert)->Run(); !ok) return undo(ok.error());
    insert->reset();
    const nlohmann::json after = {{"status", "pending"}, {"segment", *segment}, {"violations", nlohmann::json::parse(violations)}};
    if (auto ok = WriteAudit(database, tenant_id, audit, "plan_approval", plan_id, "create", "", after.dump()); !ok) {
      return undo(ok.error());
    }
    if (auto ok = transaction->Commit(); !ok) return undo(ok.error());
  }
  outcome->plan = std::move(*proposed);
  return outcome;
}

Result<std::vector<PlanApproval>> ListPlanApprovals(Database& database, int64_t tenant_id,
                                                    const PlanApprovalFilter& filter) {
  std::string sql(kSelectApprovals);
  if (filter.status) sql += " AND a.status = ?";
  if (filter.customer_id) sql += " AND p.customer_id = ?";
  sql += " AND a.plan_id > ? ORDER BY a.plan_id LIMIT ?";
  auto statement = database.Prepare(sql);
  if (!statement) return Fail(statement.error());
  int index = 1;
  (*statement)->BindInt64(index++, tenant_id);
  if (filter.status) (*statement)->BindText(index++, *filter.status);
  if (filter.customer_id) (*statement)->BindInt64(index++, *filter.customer_id);
  (*statement)->BindInt64(index++, filter.after_id);
  (*statement)->BindInt64(index++, std::clamp(filter.limit, 1, 100));
  std::vector<PlanApproval> approvals;
  while (true) {
    auto row = (*statement)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    approvals.push_back(ApprovalFromRow(**statement));
  }
  statement->reset();
  for (PlanApproval& approval : approvals) {
    auto plan = GetPlan(database, tenant_id, approval.plan_id, filter.language);
    if (!plan) return Fail(plan.error());
    approval.plan = std::move(*plan);
  }
  return approvals;
}

Result<PlanApproval> GetPlanApproval(Database& database, int64_t tenant_id, int64_t plan_id, Language language) {
  auto statement = database.Prepare(
      "SELECT plan_id, status, requested_at, requested_ip, requested_user_agent, segment, violations, decided_by, "
      "decided_at, decision_reason FROM plan_approvals WHERE tenant_id = ? AND plan_id = ?");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, tenant_id);
  (*statement)->BindInt64(2, plan_id);
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(language, "no hay una aprobación pendiente para el plan {}",
                                         "there is no approval for plan {}", plan_id)));
  }
  PlanApproval approval = ApprovalFromRow(**statement);
  statement->reset();
  auto plan = GetPlan(database, tenant_id, plan_id, language);
  if (!plan) return Fail(plan.error());
  approval.plan = std::move(*plan);
  return approval;
}

Result<PlanApproval> ApprovePlan(Database& database, int64_t tenant_id, int64_t plan_id, const std::string& note,
                                 Date today, const AuditContext& audit) {
  const Language language = audit.language;
  auto approval = GetPlanApproval(database, tenant_id, plan_id, language);
  if (!approval) return Fail(approval.error());
  if (approval->status != kApprovalPending) {
    return Fail(Error::Conflict(TrFormat(language, "el plan {} ya fue {}", "plan {} was already {}", plan_id,
                                         approval->status == kApprovalApproved ? Tr(language, "aprobado", "approved")
                                                                               : Tr(language, "rechazado", "rejected"))));
  }
  if (approval->plan.status == kPlanProposed) {
    PlanAcceptance acceptance;
    acceptance.plan_id = plan_id;
    acceptance.accepted_by = "debtor";
    acceptance.channel = "portal";
    acceptance.ip = approval->requested_ip;
    acceptance.user_agent = approval->requested_user_agent;
    acceptance.accepted_on = today;
    auto accepted = AcceptPlan(database, tenant_id, acceptance, audit);
    if (!accepted) return Fail(accepted.error());
  } else if (approval->plan.status != kPlanActive) {
    // Active: an earlier approval accepted it and failed before marking the
    // row; marking it now finishes that approval.
    return Fail(Error::Conflict(TrFormat(language, "el plan {} ya no está propuesto (está {})",
                                         "plan {} is no longer proposed (it is {})", plan_id, approval->plan.status)));
  }
  if (auto ok = Decide(database, tenant_id, *approval, kApprovalApproved, note, audit); !ok) return Fail(ok.error());
  return GetPlanApproval(database, tenant_id, plan_id, language);
}

Result<PlanApproval> RejectPlan(Database& database, int64_t tenant_id, int64_t plan_id, const std::string& reason,
                                const AuditContext& audit) {
  const Language language = audit.language;
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "reason: diga por qué se rechaza el plan", "reason: say why the plan is rejected"))));
  }
  auto approval = GetPlanApproval(database, tenant_id, plan_id, language);
  if (!approval) return Fail(approval.error());
  if (approval->status != kApprovalPending) {
    return Fail(Error::Conflict(TrFormat(language, "el plan {} ya fue {}", "plan {} was already {}", plan_id,
                                         approval->status == kApprovalApproved ? Tr(language, "aprobado", "approved")
                                                                               : Tr(language, "rechazado", "rejected"))));
  }
  if (approval->plan.status == kPlanProposed) {
    auto cancelled =
        CancelPlan(database, tenant_id, plan_id, fmt::format("{}: {}", Tr(language, "rechazado", "rejected"), reason),
                   audit);
    if (!cancelled) return Fail(cancelled.error());
  } else if (approval->plan.status != kPlanCancelled) {
    return Fail(Error::Conflict(TrFormat(language, "el plan {} ya no está propuesto (está {})",
                                         "plan {} is no longer proposed (it is {})", plan_id, approval->plan.status)));
  }
  if (auto ok = Decide(database, tenant_id, *approval, kApprovalRejected, reason, audit); !ok) {
    return Fail(ok.error());
  }
  return GetPlanApproval(database, tenant_id, plan_id, language);
}

nlohmann::json PlanApprovalJson(const PlanApproval& approval) {
  auto or_null = [](const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); };
  const bool decided = approval.status != kApprovalPending;
  return {{"object", "plan_approval"},
          {"plan_id", approval.plan_id},
          {"status", approval.status},
          {"requested_at", approval.requested_at},
          {"requested_ip", approval.requested_ip},
          {"requested_user_agent", approval.requested_user_agent},
          {"segment", approval.segment},
          {"violations", PlanLimitViolationsJson(approval.violations)},
          {"decided_by", or_null(approval.decided_by)},
          {"decided_at", or_null(approval.decided_at)},
          {"decision_reason", decided ? nlohmann::json(approval.decision_reason) : nlohmann::json()},
          {"plan", PlanJson(approval.plan)}};
}

}  // namespace cartera
