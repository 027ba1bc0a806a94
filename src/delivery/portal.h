// The debtor portal's use cases: what one customer of one tenant sees and
// does through its signed link (delivery/portal_link.h), the same records
// the business's own commands and routes write (promises, disputes,
// consent, call tasks), stamped with the debtor as the actor. Nothing here
// reads or changes another customer.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compliance/rulebook.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/language.h"
#include "delivery/portal_link.h"
#include "delivery/secret_box.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// The customer a verified token names.
struct PortalCustomer {
  int64_t tenant_id = 0;
  int64_t customer_id = 0;
  std::string external_id, name, language, country, time_zone;
  bool consumer = false;  // a person (the consumer rulebook)
};

// kNotFound when the tenant has no such customer (any more).
Result<PortalCustomer> LoadPortalCustomer(Database& database, const PortalClaims& claims, Language language);

// The audit stamp of a debtor's change through the portal: actor "portal",
// source "portal ip=<address> ua=<user agent>" (the agent cut to 200 bytes).
AuditContext PortalAudit(Timestamp now, std::string_view address, std::string_view user_agent, Language language);

// The reasons a debtor may give for a dispute, with their words.
struct DisputeReason {
  std::string_view code, es, en;
};
inline constexpr std::array<DisputeReason, 6> kDisputeReasons = {{
    {"not_received", "No recibí la mercancía o el servicio", "I did not receive the goods or service"},
    {"wrong_amount", "El valor no es correcto", "The amount is wrong"},
    {"defective", "La mercancía o el servicio tuvo defectos", "The goods or service were defective"},
    {"already_paid", "Ya la pagué", "I already paid it"},
    {"not_ordered", "No la pedí", "I did not order it"},
    {"other", "Otro motivo", "Another reason"},
}};
bool IsDisputeReason(std::string_view code);

// Portal channels a debtor may prefer to be contacted by.
inline constexpr std::array<std::string_view, 5> kPreferredChannels = {"email", "sms", "whatsapp", "call", "letter"};

// "j***@example.com", "***4567": enough for a debtor to recognise an
// address, too little for anyone else to use it.
std::string MaskAddress(std::string_view channel, std::string_view value);

// Everything the portal's page shows (docs/api.md, "The debtor portal API"):
// {"company", "customer", "invoices", "totals", "promise_limits",
//  "dispute_reasons", "contact", "open_promises", "open_disputes"}.
// "contact" has the debtor's own "quiet_hours" ({"from", "to"} or null: the
// daily local window in which they accept contact), the "time_zone" it is
// in and the "legal_hours" their rulebook allows whatever they choose:
// [{"days": ["mon", ...], "from": "07:00", "to": "19:00"}, ...].
Result<nlohmann::json> PortalOverview(Database& database, const PortalCustomer& customer, Timestamp now,
                                      Language language);

// A promise to pay through the portal: AddPromise with source "portal",
// within LoadPromiseLimits' limits. A refusal of one field (a date out of
// the limits, an amount over what is owed, a currency not owed) is kBadInput
// and names it in `*field` ("date", "amount", "currency"). Returns the id.
Result<int64_t> AddPortalPromise(Database& database, const PortalCustomer& customer, Date date,
                                 const std::string& amount, const std::optional<std::string>& currency,
                                 const AuditContext& audit, std::string* field);

// A dispute of one of the customer's invoices, named by its external id or
// its number: OpenDispute with the reason "code: text" (or just the code).
// kNotFound when the customer has no such invoice; kBadInput for an unknown
// reason code. Returns the id.
Result<int64_t> OpenPortalDispute(Database& database, const PortalCustomer& customer, const std::string& invoice,
                                  std::string_view reason_code, const std::string& text, const AuditContext& audit);

struct ContactPreferences {
  // Set: change the preferred channel (the inner nullopt clears it).
  std::optional<std::optional<std::string>> preferred_channel;
  // Contact point kinds: "email", "phone" (SMS and calls), "whatsapp".
  std::vector<std::string> opt_out, opt_in;
  // Set: change the debtor's own daily contact window (the inner nullopt
  // clears it). It must overlap the hours the law allows on some day.
  std::optional<std::optional<compliance::TimeWindow>> quiet_hours;
};

// A window a debtor may choose: "HH:MM" each, from < to, at least an hour
// apart. nullopt when valid; else the refused field ("from", "to") in
// `*field` and the reason in `language`.
std::optional<std::string> QuietHoursRefusal(std::string_view from, std::string_view to, Language language,
                                             std::string* field, compliance::TimeWindow* window);
// In one transaction: the debtor's own opt-out of every address of each
// kind in `opt_out` (RecordOptOut, as an unsubscribe link does), consent
// given again by the debtor for each kind in `opt_in` (source "portal"),
// the preferred channel and the quiet hours (kept in the customer's
// attributes, collection/contact_history.h), each change audited.
// kBadInput for a kind in both lists, or for quiet hours that never meet
// the law's hours (`*field` = "quiet_hours").
Status ChangeContactPreferences(Database& database, const PortalCustomer& customer, const ContactPreferences& change,
                                const AuditContext& audit, std::string* field = nullptr);

// A call back the debtor asks for: an open call task (stage "callback",
// strategy "portal") in the collectors' worklist, with the debtor's phone,
// time and note in its payload. Returns the task's JSON:
// {"task_id", "status", "phone", "preferred_time", "note", "created_at"}.
struct CallbackRequest {
  std::optional<std::string> phone, preferred_time, note;
};
Result<nlohmann::json> RequestCallback(Database& database, const PortalCustomer& customer,
                                       const CallbackRequest& request, Timestamp now, const AuditContext& audit);

// What an unsubscribe link does (`cartera unsubscribe TOKEN` and POST
// /api/v1/portal/unsubscribe/{token}): verifies the token and records the
// debtor's own opt-out of that address on that channel. `tenant_id`, when
// given, must be the token's (kBadInput otherwise).
struct Unsubscribed {
  int64_t tenant_id = 0;
  std::string channel, address;
  bool changed = false;  // false: it was already revoked
};
Result<Unsubscribed> Unsubscribe(Database& database, const SecretKey& key, std::string_view token, Timestamp now,
                                 std::optional<int64_t> tenant_id, const AuditContext& audit);

}  // namespace cartera::delivery
