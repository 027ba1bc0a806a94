// The debtor's self-service payment plan (the portal's plan builder) and
// the approval of plans outside the limits. Built on the plan core
// (agreements/payment_plans.h): a portal plan is an ordinary plan with
// source "portal".
//
//   within the tenant's limits (agreements/plan_limits.h): proposed and
//     accepted at once (accepted_by "debtor", channel "portal", the
//     request's address and user agent): active;
//   outside them: proposed, with a pending approval row recording the
//     debtor's acceptance of the terms (when, address, user agent) and the
//     limits broken. A manager approves it (the plan is accepted on the
//     debtor's behalf with their recorded acceptance: active) or rejects it
//     (cancelled with the reason).
//
// The plan core's calls each run in their own transaction; a portal plan
// is ProposePlan then AcceptPlan (or the approval row). When the second
// step fails the plan just proposed is cancelled, so a debtor never leaves
// a half-made plan behind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agreements/payment_plans.h"
#include "agreements/plan_limits.h"
#include "core/date.h"
#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

// The customer's behavioural segment from the last run ("new" when none).
Result<std::string> CustomerBehaviourSegment(Database& database, int64_t tenant_id, int64_t customer_id);

// What the portal's plan builder offers one debtor on `today`:
// {"object": "plan_options", "available": bool, "reason": text|null
//  (why not: no open balance, a plan already active or pending),
//  "currency", "balance": money|null, "segment", "today",
//  "limits": null (no rule applies: any plan waits for approval) |
//    {"max_installments", "min_down_payment": money, "min_down_payment_percent",
//     "min_installment": money, "max_duration_days",
//     "earliest_first_date", "latest_first_date"},
//  "frequencies": ["weekly", "fortnightly", "monthly"],
//  "current_plan": the plan JSON of an active or proposed plan | null,
//  "awaiting_approval": bool (the current plan waits for a manager)}.
// `currency`: one of the customer's; empty: the customer's own.
Result<nlohmann::json> PortalPlanOptions(Database& database, int64_t tenant_id, int64_t customer_id,
                                         const std::string& currency, Date today, Language language);

struct PortalPlanRequest {
  int64_t customer_id = 0;
  std::string currency;        // empty: the customer's
  int32_t installments = 0;
  PlanFrequency frequency = PlanFrequency::kMonthly;
  Date first_date;
  int64_t down_payment_minor = 0;
  bool terms_accepted = false;  // the debtor ticked "I have read and accept the terms"
  std::string ip, user_agent;
};

// The proposal a request makes (source "portal", no interest, two missed
// installments break it, or one for a one-installment plan).
PlanProposal PortalProposal(const PortalPlanRequest& request);

struct PortalPlanOutcome {
  PlanRecord plan;
  bool within_limits = false;
  std::vector<PlanLimitViolation> violations;
};

// The plan the request would make and how it stands against the limits;
// nothing is stored. Refusals as PreviewPlan's (kBadInput naming the field).
Result<PortalPlanOutcome> PreviewPortalPlan(Database& database, int64_t tenant_id, const PortalPlanRequest& request,
                                            Date today, Language language);

// Stores the debtor's plan (see the overview). kBadInput "terms_accepted"
// unless the debtor accepted the terms; kConflict when an invoice is in
// another proposed or active plan (one plan per invoice).
Result<PortalPlanOutcome> SubmitPortalPlan(Database& database, int64_t tenant_id, const PortalPlanRequest& request,
                                           Date today, const AuditContext& audit);

// Approval status codes.
inline constexpr std::string_view kApprovalPending = "pending";
inline constexpr std::string_view kApprovalApproved = "approved";
inline constexpr std::string_view kApprovalRejected = "rejected";

struct PlanApproval {
  int64_t plan_id = 0;
  std::string status;  // pending | approved | rejected
  std::string requested_at, requested_ip, requested_user_agent, segment;
  std::vector<PlanLimitViolation> violations;  // as recorded (in the debtor's language)
  std::string decided_by, decided_at, decision_reason;
  PlanRecord plan;
};

struct PlanApprovalFilter {
  std::optional<std::string> status;  // nullopt: every status
  std::optional<int64_t> customer_id;
  int64_t after_id = 0;  // plans with id > after_id
  int32_t limit = 100;   // 1..100
  Language language = Language::kEnglish;
};

// Oldest first (by plan id). A pending approval whose plan was cancelled
// meanwhile is listed as pending no more: only plans still proposed are.
Result<std::vector<PlanApproval>> ListPlanApprovals(Database& database, int64_t tenant_id,
                                                    const PlanApprovalFilter& filter);

// kNotFound when the tenant has no approval for the plan.
Result<PlanApproval> GetPlanApproval(Database& database, int64_t tenant_id, int64_t plan_id, Language language);

// A manager approves a pending plan: AcceptPlan with the debtor's recorded
// acceptance (accepted_by "debtor", channel "portal", their address and
// user agent; the acceptance date `today`), then the approval is marked
// approved by the actor (audited plan_approval/update). kConflict when
// the approval is not pending.
Result<PlanApproval> ApprovePlan(Database& database, int64_t tenant_id, int64_t plan_id, const std::string& note,
                                 Date today, const AuditContext& audit);

// A manager rejects a pending plan: CancelPlan with "rejected: <reason>",
// and the approval marked rejected (audited plan_approval/update).
// kBadInput when the reason is empty.
Result<PlanApproval> RejectPlan(Database& database, int64_t tenant_id, int64_t plan_id, const std::string& reason,
                                const AuditContext& audit);

// {"object": "plan_approval", "plan_id", "status", "requested_at",
//  "requested_ip", "requested_user_agent", "segment", "violations",
//  "decided_by", "decided_at", "decision_reason" (null while pending),
//  "plan": the plan JSON}.
nlohmann::json PlanApprovalJson(const PlanApproval& approval);

}  // namespace cartera
