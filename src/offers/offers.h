// Incentives a collector offers a debtor, within approval limits: an
// early-payment discount, a waiver of interest and fees, a settlement.
//
// An offer covers some open invoices of one customer in one currency and
// fixes, when it is made, the covered balance, the part forgiven and what
// the debtor must pay by its expiry date (offers/offer_terms.h does the
// arithmetic). Whoever makes it has an approval limit by role (per tenant,
// offer_limits); within it the offer is approved at once, above it it waits
// in pending_approval until someone whose limit covers it, not its maker,
// approves or rejects it. The debtor sees approved offers only (the portal).
// When the payments on the covered invoices reach what is due by the
// expiry, the daily run (SettleOffers) posts the forgiven part as credit
// notes of the offer's kind, so the invoices end paid; unpaid past the
// expiry the offer expires.
//
// States: pending_approval -> approved -> accepted -> fulfilled; and
// rejected, expired, withdrawn. Every change is audited (entity "offer")
// with who did it, and the approval records who granted what.
//
// Waivers: interest and fees are not ledger documents yet, so a waiver
// names an amount (or percent) forgiven on the covered invoices, credited
// as a "waiver" credit note, rather than cancelling charge documents.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/roles.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/language.h"
#include "offers/offer_terms.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::offers {

// Limits on what one request may carry.
inline constexpr size_t kOfferInvoicesMax = 500;
inline constexpr size_t kOfferNoteBytesMax = 1000;

// Who acts and with what authority: the audit actor ("user:ana@x.co",
// "cli:ana") and the role whose approval limit applies.
struct OfferActor {
  std::string actor;
  access::Role role = access::Role::kViewer;
};

struct OfferRequest {
  std::string customer_external_id;
  std::string type;                              // OfferTypeCode
  std::optional<std::string> percent;            // forgiven share, "5" or "2.5"; exactly one of percent and amount
  std::optional<std::string> amount;             // forgiven amount, a decimal in the invoices' currency
  Date expires_on;                               // the last day the debtor may pay
  std::vector<std::string> invoice_external_ids; // empty: every open invoice of the customer (one currency)
  std::string note;
};

struct OfferInvoice {
  int64_t invoice_id = 0;
  std::string external_id;
  std::string number;
  Date due_date;
  int64_t open_minor = 0;      // when the offer was made
  int64_t forgiven_minor = 0;  // its planned share of the forgiven part
  std::optional<int64_t> credit_note_id;  // once fulfilled
};

struct Offer {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string customer_external_id;
  std::string customer_name;
  std::string type;
  std::string status;
  std::string currency;
  int64_t balance_minor = 0;
  int64_t forgiven_minor = 0;
  int64_t due_minor = 0;
  int64_t percent_bp = 0;  // the forgiven share (rounded up when an amount was asked)
  Date expires_on;
  Date created_on;
  std::string note;
  std::string created_by;
  std::string created_role;
  std::string created_at;
  std::optional<std::string> decided_by, decided_at, decision_note;
  std::optional<std::string> accepted_by, accepted_at, accepted_channel;
  std::optional<Date> resolved_on;               // fulfilled or expired on this business date
  std::optional<int64_t> forgiven_posted_minor;  // credited at fulfilment
  std::vector<OfferInvoice> invoices;
};

// {"object": "offer", "id", "customer_external_id", "customer_name", "type",
//  "status", "percent", "balance", "forgiven", "due" (money), "expires_on",
//  "created_on", "invoices": [...], "note", "created_by", "created_at",
//  "decided_by", "decided_at", "decision_note", "accepted_by", "accepted_at",
//  "accepted_channel", "resolved_on", "forgiven_posted"}: the one JSON shape.
nlohmann::json OfferJson(const Offer& offer);
// What the debtor reads in the portal: no one's names, no notes.
nlohmann::json DebtorOfferJson(const Offer& offer);

// ---- Approval limits ----

// A role's limit as configured: max_basis_points nullopt = unlimited;
// max_amounts: the largest forgiven amount per currency (minor units).
struct RoleLimit {
  access::Role role = access::Role::kCollector;
  std::optional<int64_t> max_basis_points;
  std::vector<std::pair<std::string, int64_t>> max_amounts;
};
// The defaults before a tenant sets its own: collector 5 %, manager 20 %,
// admin unlimited; no amount caps.
std::vector<RoleLimit> DefaultLimits();
// The tenant's limits for collector, manager and admin (defaults where it
// set none). Admin is always unlimited: someone must be able to approve.
Result<std::vector<RoleLimit>> LoadOfferLimits(Database& database, int64_t tenant_id);
// Replaces the limits of the roles given (audited, entity "offer_limits").
// kBadInput for viewer or admin, a percent above 100, an unknown currency,
// a negative amount.
Status SetOfferLimits(Database& database, int64_t tenant_id, const std::vector<RoleLimit>& limits,
                      const AuditContext& audit);
// The limit that applies to `role` for an offer in `currency`.
ApprovalLimit LimitFor(const std::vector<RoleLimit>& limits, access::Role role, std::string_view currency);
// {"object": "offer_limits", "limits": [{"role", "max_percent" (text or
// null), "max_amounts": [money]}]}.
nlohmann::json OfferLimitsJson(const std::vector<RoleLimit>& limits);

// ---- Making and deciding offers ----

// The terms an offer would have, without saving it: amounts, the share per
// invoice and whether `actor` may grant it without approval.
struct OfferQuote {
  std::string customer_external_id;
  std::string type;
  std::string currency;
  OfferAmounts amounts;
  int64_t percent_bp = 0;
  Date expires_on;
  std::vector<OfferInvoice> invoices;
  bool needs_approval = false;
  ApprovalLimit actor_limit;
};
nlohmann::json OfferQuoteJson(const OfferQuote& quote);

// A refusal of a request's field: which field ("type", "percent", "amount",
// "expires_on", "invoices", "invoices/2", "note") and why, in the language.
// `field` (when not null) is set when the error is about one field.
Result<OfferQuote> QuoteOffer(Database& database, int64_t tenant_id, const OfferRequest& request,
                              const OfferActor& actor, Timestamp now, Language language, std::string* field);

// Saves the offer: approved at once when within the actor's limit, else
// pending_approval. kConflict when a covered invoice is in another live
// offer (pending, approved or accepted). Returns its id.
Result<int64_t> CreateOffer(Database& database, int64_t tenant_id, const OfferRequest& request,
                            const OfferActor& actor, const AuditContext& audit, std::string* field);

// Why `actor` may not approve or reject `offer`, or nullopt when it may:
// the offer must be pending, the actor a manager or above whose limit
// covers the forgiven part, and not the offer's maker.
std::optional<std::string> DecisionRefusal(const Offer& offer, const OfferActor& actor,
                                           const std::vector<RoleLimit>& limits, Language language);
// True when the refusal is about authority (a 403), not the offer's state.
bool IsAuthorityRefusal(const Offer& offer, const OfferActor& actor, const std::vector<RoleLimit>& limits);

// pending_approval -> approved / rejected (a rejection needs a note).
// kConflict when the offer is not pending or has expired; kBadInput (the
// refusal's words) when the actor lacks the authority.
Status ApproveOffer(Database& database, int64_t tenant_id, int64_t offer_id, const OfferActor& actor,
                    const std::string& note, const AuditContext& audit);
Status RejectOffer(Database& database, int64_t tenant_id, int64_t offer_id, const OfferActor& actor,
                   const std::string& note, const AuditContext& audit);
// pending_approval, approved or accepted -> withdrawn: its maker, or a
// manager or above.
Status WithdrawOffer(Database& database, int64_t tenant_id, int64_t offer_id, const OfferActor& actor,
                     const std::string& note, const AuditContext& audit);
// approved -> accepted, on or before the expiry (the customer's today).
// `channel`: "portal" (the debtor), or "phone", "email", "in_person" (a
// user on the debtor's behalf). kConflict in any other state.
inline constexpr std::array<std::string_view, 4> kAcceptChannels = {"portal", "phone", "email", "in_person"};
Status AcceptOffer(Database& database, int64_t tenant_id, int64_t offer_id, const std::string& channel,
                   const AuditContext& audit);

struct OfferFilter {
  std::optional<std::string> status;
  std::optional<std::string> customer_external_id;
  std::optional<int64_t> customer_id;
  std::optional<int64_t> id;
  int64_t limit = 100;                  // at most this many, newest first
  std::optional<int64_t> starting_after;  // ids below this one
};
// kBadInput for an unknown status; kNotFound for an unknown customer.
Result<std::vector<Offer>> ListOffers(Database& database, int64_t tenant_id, const OfferFilter& filter,
                                      Language language);
// kNotFound (in `language`) when the tenant has no such offer.
Result<Offer> LoadOffer(Database& database, int64_t tenant_id, int64_t offer_id, Language language);

// The offers a debtor sees: approved or accepted and not yet past their
// expiry on `today` (the customer's date).
Result<std::vector<Offer>> ListDebtorOffers(Database& database, int64_t tenant_id, int64_t customer_id, Date today);
// The debtor accepts one of them (channel "portal"); kNotFound when it is
// not one the debtor sees.
Status AcceptDebtorOffer(Database& database, int64_t tenant_id, int64_t customer_id, int64_t offer_id,
                         const AuditContext& audit);

}  // namespace cartera::offers
