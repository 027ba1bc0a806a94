// The reasons catalogue of disputes (issue 17): why a debtor disputes an
// invoice, with the days the business gives itself to resolve each reason
// and who owns it. The six codes and their words ship with Cartera; each
// tenant may change a reason's deadline and owner (stored in
// dispute_reasons, audited). A reason no one changed reads its default, so
// every tenant, old or new, has the whole catalogue without a seeding step.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/language.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera {

struct DisputeReasonDefault {
  std::string_view code, es, en;
  int32_t deadline_days;
};

// Codes stay stable in JSON; the words are what a person reads.
inline constexpr std::array<DisputeReasonDefault, 6> kDisputeReasonDefaults = {{
    {"not_received", "No recibió la mercancía, el servicio o la factura", "Goods, service or invoice not received", 10},
    {"wrong_amount", "El valor no es correcto", "The amount is wrong", 15},
    {"defective", "Mercancía o servicio defectuoso", "Defective goods or service", 20},
    {"already_paid", "Ya la pagó", "Already paid", 5},
    {"not_ordered", "No la pidió", "Not ordered", 15},
    {"other", "Otro motivo", "Another reason", 30},
}};

inline constexpr int32_t kDisputeDeadlineMaxDays = 365;

bool IsDisputeReasonCode(std::string_view code);
// "not_received, wrong_amount, defective, already_paid, not_ordered, other"
std::string DisputeReasonCodes();
// The reason's words in `language` (the code itself when unknown).
std::string_view DisputeReasonLabel(std::string_view code, Language language);

struct DisputeReasonSetting {
  std::string code;
  std::string label_es, label_en;
  int32_t deadline_days = 0;
  // A user of the tenant (e-mail, lower case); empty: the customer's
  // collector, or any manager when the customer has none.
  std::string owner;
  bool customised = false;      // the tenant changed it
  std::string updated_at, updated_by;  // empty when not customised
};

// The whole catalogue, in the order above.
Result<std::vector<DisputeReasonSetting>> LoadDisputeReasons(Database& database, int64_t tenant_id);
// One reason; kBadInput (worded in `language`, naming the codes) when the
// code is not in the catalogue.
Result<DisputeReasonSetting> LoadDisputeReason(Database& database, int64_t tenant_id, std::string_view code,
                                               Language language);

struct DisputeReasonChange {
  std::optional<int32_t> deadline_days;  // 1 to kDisputeDeadlineMaxDays
  std::optional<std::string> owner;      // "" clears; else an active user of the tenant
};
// Changes one reason (one transaction, one audit row: entity
// "dispute_reason", the before and after). kBadInput names the field
// ("deadline_days: ...", "owner: ...", "code: ...").
Result<DisputeReasonSetting> SetDisputeReason(Database& database, int64_t tenant_id, std::string_view code,
                                              const DisputeReasonChange& change, const AuditContext& audit);

// {"code", "label": {"es", "en"}, "deadline_days", "owner" (null when
//  empty), "customised", "updated_at" (null), "updated_by" (null)}
nlohmann::json DisputeReasonJson(const DisputeReasonSetting& setting);

}  // namespace cartera
