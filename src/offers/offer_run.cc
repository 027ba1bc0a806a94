#include "offers/offer_run.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/currency.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "offers/offer_terms.h"
#include "report/output.h"
#include "store/credit_note_post.h"
#include "store/sql_dialect.h"
#include "webhooks/webhook_events.h"

namespace cartera::offers {
namespace {

struct LiveOffer {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string customer_external_id;
  std::string type;
  std::string status;
  std::string currency;
  int64_t due_minor = 0;
  int64_t forgiven_minor = 0;
  Date expires_on;
  int64_t paid_minor = 0;  // payments since the offer was made, up to the cut-off
};

struct CoveredInvoice {
  int64_t invoice_id = 0;
  std::string number;
  int64_t planned_minor = 0;
  int64_t open_now_minor = 0;
};

Result<Date> BusinessDate(Database& database, int64_t tenant_id, std::optional<Date> as_of, Timestamp now) {
  if (as_of) return *as_of;
  auto query = database.Prepare("SELECT time_zone FROM tenants WHERE id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  return DateIn(*row ? std::string((*query)->GetText(0)) : std::string("UTC"), now);
}

Result<std::vector<LiveOffer>> ReadLiveOffers(Database& database, int64_t tenant_id, Date business_date) {
  // Payments count when dated on or before both the business date and the
  // expiry; those already on the invoices when the offer was made do not.
  // Written as "invoice_id IN (the offer's invoices)" so both databases read
  // allocations by invoice (allocations_by_invoice), never the tenant's
  // whole allocation history: a join let SQLite pick the tenant-wide index.
  auto query = database.Prepare(
      "SELECT o.id, o.customer_id, c.external_id, o.type, o.status, o.currency, o.due_minor, o.forgiven_minor, "
      "o.expires_on, "
      "(SELECT COALESCE(SUM(a.amount_minor), 0) FROM allocations a WHERE a.tenant_id = o.tenant_id AND a.invoice_id "
      "IN (SELECT oi.invoice_id FROM offer_invoices oi WHERE oi.tenant_id = o.tenant_id AND oi.offer_id = o.id) AND "
      "a.payment_id IS NOT NULL AND a.date <= ? AND a.date <= o.expires_on) - "
      "(SELECT COALESCE(SUM(oi.paid_before_minor), 0) FROM offer_invoices oi WHERE oi.tenant_id = o.tenant_id AND "
      "oi.offer_id = o.id) "
      "FROM offers o JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id "
      "WHERE o.tenant_id = ? AND o.status IN ('pending_approval', 'approved', 'accepted') ORDER BY o.id");
  if (!query) return Fail(query.error());
  (*query)->BindText(1, business_date.ToIso());
  (*query)->BindInt64(2, tenant_id);
  std::vector<LiveOffer> offers;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    auto expires = Date::ParseIso(r.GetText(8).substr(0, 10));
    if (!expires) return Fail(Error::Internal("an offer's stored expiry is not a date"));
    offers.push_back({r.GetInt64(0), r.GetInt64(1), std::string(r.GetText(2)), std::string(r.GetText(3)),
                      std::string(r.GetText(4)), std::string(r.GetText(5)), r.GetInt64(6), r.GetInt64(7), *expires,
                      r.GetInt64(9)});
  }
  return offers;
}

Result<std::vector<CoveredInvoice>> ReadCovered(Database& database, int64_t tenant_id, int64_t offer_id) {
  auto query = database.Prepare(
      "SELECT oi.invoice_id, i.number, oi.forgiven_minor, i.open_minor FROM offer_invoices oi JOIN invoices i ON "
      "i.tenant_id = oi.tenant_id AND i.id = oi.invoice_id WHERE oi.tenant_id = ? AND oi.offer_id = ? ORDER BY "
      "oi.ordinal");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, offer_id);
  std::vector<CoveredInvoice> invoices;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    invoices.push_back({r.GetInt64(0), std::string(r.GetText(1)), r.GetInt64(2), std::max<int64_t>(0, r.GetInt64(3))});
  }
  return invoices;
}

std::string ReasonFor(const LiveOffer& offer, Language language) {
  if (offer.type == "early_payment_discount") {
    return TrFormat(language, "Descuento por pronto pago (oferta {})", "Early-payment discount (offer {})", offer.id);
  }
  if (offer.type == "waiver") {
    return TrFormat(language, "Condonación de intereses y cargos (oferta {})", "Interest and fee waiver (offer {})",
                    offer.id);
  }
  return TrFormat(language, "Acuerdo de pago con quita (oferta {})", "Settlement (offer {})", offer.id);
}

Status Fulfil(Database& database, int64_t tenant_id, const LiveOffer& offer, Date business_date,
              const AuditContext& audit, Timestamp now, SettleReport& report) {
  auto currency = Currency::FromCode(offer.currency);
  if (!currency) return Fail(Error::Internal(fmt::format("stored currency '{}' is unknown", offer.currency)));
  auto covered = ReadCovered(database, tenant_id, offer.id);
  if (!covered) return Fail(covered.error());
  std::vector<int64_t> planned, open_now;
  for (const CoveredInvoice& invoice : *covered) {
    planned.push_back(invoice.planned_minor);
    open_now.push_back(invoice.open_now_minor);
  }
  const std::vector<int64_t> credits = CreditsAtFulfilment(planned, open_now);
  auto type = ParseOfferType(offer.type);
  if (!type) return Fail(Error::Internal(fmt::format("stored offer type '{}' is unknown", offer.type)));
  int64_t posted = 0;
  nlohmann::json notes = nlohmann::json::array();
  for (size_t i = 0; i < covered->size(); ++i) {
    if (credits[i] <= 0) continue;
    const CoveredInvoice& invoice = (*covered)[i];
    CreditNotePost note;
    note.customer_id = offer.customer_id;
    note.invoice_id = invoice.invoice_id;
    note.date = business_date;
    note.amount = Money(credits[i], *currency);
    note.kind = std::string(CreditNoteKindFor(*type));
    note.reason = ReasonFor(offer, audit.language);
    note.source = fmt::format("offer:{}:invoice:{}", offer.id, invoice.invoice_id);
    auto id = PostCreditNoteIn(database, tenant_id, note, audit);
    if (!id) return Fail(id.error());
    auto link = database.Prepare(
        "UPDATE offer_invoices SET credit_note_id = ? WHERE tenant_id = ? AND offer_id = ? AND invoice_id = ?");
    if (!link) return Fail(link.error());
    (*link)->BindInt64(1, *id);
    (*link)->BindInt64(2, tenant_id);
    (*link)->BindInt64(3, offer.id);
    (*link)->BindInt64(4, invoice.invoice_id);
    if (auto ok = (*link)->Run(); !ok) return ok;
    posted += credits[i];
    ++report.credit_notes;
    notes.push_back({{"credit_note_id", *id}, {"invoice_number", invoice.number},
                     {"amount", MoneyJson(credits[i], offer.currency)}});
  }
  auto update = database.Prepare(
      "UPDATE offers SET status = 'fulfilled', resolved_on = ?, forgiven_posted_minor = ?, updated_at = ? WHERE "
      "tenant_id = ? AND id = ? AND status = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, business_date.ToIso());
  (*update)->BindInt64(2, posted);
  (*update)->BindText(3, audit.at);
  (*update)->BindInt64(4, tenant_id);
  (*update)->BindInt64(5, offer.id);
  (*update)->BindText(6, offer.status);
  if (auto ok = (*update)->Run(); !ok) return ok;
  const nlohmann::json after = {{"status", "fulfilled"},
                                {"business_date", business_date.ToIso()},
                                {"paid", MoneyJson(offer.paid_minor, offer.currency)},
                                {"forgiven_posted", MoneyJson(posted, offer.currency)},
                                {"credit_notes", notes}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "offer", offer.id, "update",
                           nlohmann::json{{"status", offer.status}}.dump(), after.dump());
      !ok) {
    return ok;
  }
  auto emitted = webhooks::EmitEvent(database, tenant_id, "offer.fulfilled",
                                     {{"offer",
                                       {{"id", offer.id},
                                        {"customer_external_id", offer.customer_external_id},
                                        {"type", offer.type},
                                        {"status", "fulfilled"},
                                        {"forgiven_posted", MoneyJson(posted, offer.currency)}}}},
                                     now);
  if (!emitted) return Fail(emitted.error());
  ++report.fulfilled;
  return {};
}

Status Expire(Database& database, int64_t tenant_id, const LiveOffer& offer, Date business_date,
              const AuditContext& audit, SettleReport& report) {
  auto update = database.Prepare(
      "UPDATE offers SET status = 'expired', resolved_on = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND "
      "status = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, business_date.ToIso());
  (*update)->BindText(2, audit.at);
  (*update)->BindInt64(3, tenant_id);
  (*update)->BindInt64(4, offer.id);
  (*update)->BindText(5, offer.status);
  if (auto ok = (*update)->Run(); !ok) return ok;
  const nlohmann::json after = {{"status", "expired"},
                                {"business_date", business_date.ToIso()},
                                {"paid", MoneyJson(offer.paid_minor, offer.currency)},
                                {"due", MoneyJson(offer.due_minor, offer.currency)}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "offer", offer.id, "update",
                           nlohmann::json{{"status", offer.status}}.dump(), after.dump());
      !ok) {
    return ok;
  }
  ++report.expired;
  return {};
}

}  // namespace

Result<SettleReport> SettleOffers(Database& database, int64_t tenant_id, std::optional<Date> as_of, Timestamp now,
                                  const AuditContext& audit) {
  SettleReport report;
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto ok = LockTenantLedger(database, tenant_id); !ok) return Fail(ok.error());
  auto business_date = BusinessDate(database, tenant_id, as_of, now);
  if (!business_date) return Fail(business_date.error());
  auto offers = ReadLiveOffers(database, tenant_id, *business_date);
  if (!offers) return Fail(offers.error());
  for (const LiveOffer& offer : *offers) {
    const bool offered = offer.status == "approved" || offer.status == "accepted";
    if (offered && offer.paid_minor >= offer.due_minor) {
      if (auto ok = Fulfil(database, tenant_id, offer, *business_date, audit, now, report); !ok) {
        return Fail(ok.error());
      }
    } else if (offer.expires_on < *business_date) {
      if (auto ok = Expire(database, tenant_id, offer, *business_date, audit, report); !ok) return Fail(ok.error());
    }
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return report;
}

}  // namespace cartera::offers
