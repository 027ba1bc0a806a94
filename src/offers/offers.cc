#include "offers/offers.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/currency.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "report/output.h"
#include "store/sql_dialect.h"

namespace cartera::offers {
namespace {

using access::Role;

constexpr int32_t kOfferDaysAheadMax = 366;  // an offer lasts at most a year

const std::array<std::string_view, 7> kStatuses = {"pending_approval", "approved", "accepted", "fulfilled",
                                                   "rejected",         "expired",  "withdrawn"};

bool IsStatus(std::string_view status) {
  return std::find(kStatuses.begin(), kStatuses.end(), status) != kStatuses.end();
}

Error FieldError(std::string* field, std::string_view name, std::string message) {
  if (field != nullptr) *field = std::string(name);
  return Error::BadInput(std::move(message));
}

Result<Date> TodayFor(const std::string& time_zone, const std::string& at) {
  auto now = ParseUtc(at);
  if (!now) return Fail(Error::Internal(fmt::format("the audit time '{}' is not a UTC timestamp", at)));
  return DateIn(time_zone, *now);
}

Status Audit(Database& database, int64_t tenant_id, const AuditContext& audit, std::string_view entity,
             int64_t entity_id, std::string_view action, const nlohmann::json& before, const nlohmann::json& after) {
  return WriteAudit(database, tenant_id, audit, entity, entity_id, action, before.is_null() ? "" : before.dump(),
                    after.is_null() ? "" : after.dump());
}

std::string Exponentless(int64_t minor, const std::string& currency) {
  auto code = Currency::FromCode(currency);
  return FormatMinorUnits(minor, code ? code->exponent() : 2);
}

std::optional<std::string> OptionalText(const Statement& row, int column) { return row.GetOptionalText(column); }

Error NoSuchOffer(int64_t offer_id, Language language) {
  return Error::NotFound(TrFormat(language, "no hay una oferta con id {}", "no offer with id {}", offer_id));
}

struct CustomerRow {
  int64_t id = 0;
  std::string name;
  std::string time_zone;
};

Result<CustomerRow> FindCustomer(Database& database, int64_t tenant_id, const std::string& external_id,
                                 Language language) {
  auto query = database.Prepare("SELECT id, name, time_zone FROM customers WHERE tenant_id = ? AND external_id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, external_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(language, "no hay un cliente con el id externo '{}'",
                                         "no customer with external id '{}'", external_id)));
  }
  const Statement& r = **query;
  return CustomerRow{r.GetInt64(0), std::string(r.GetText(1)), r.IsNull(2) ? "UTC" : std::string(r.GetText(2))};
}

struct InvoiceRow {
  int64_t id = 0;
  std::string external_id, number, currency;
  Date due_date;
  int64_t open_minor = 0;
};

Result<InvoiceRow> ReadInvoice(const Statement& r) {
  auto due = Date::ParseIso(r.GetText(3).substr(0, 10));
  if (!due) return Fail(Error::Internal("an invoice's stored due date is not a date"));
  return InvoiceRow{r.GetInt64(0), std::string(r.GetText(1)), std::string(r.GetText(2)), std::string(r.GetText(4)),
                    *due, r.GetInt64(5)};
}

constexpr const char* kInvoiceColumns = "id, external_id, number, due_date, currency, open_minor";

// The invoices an offer covers: the chosen ones, else every open one.
Result<std::vector<InvoiceRow>> CoveredInvoices(Database& database, int64_t tenant_id, int64_t customer_id,
                                                const std::vector<std::string>& chosen, Language language,
                                                std::string* field) {
  std::vector<InvoiceRow> invoices;
  if (chosen.empty()) {
    auto query = database.Prepare(fmt::format(
        "SELECT {} FROM invoices WHERE tenant_id = ? AND customer_id = ? AND open_minor > 0 ORDER BY due_date, id",
        kInvoiceColumns));
    if (!query) return Fail(query.error());
    (*query)->BindInt64(1, tenant_id);
    (*query)->BindInt64(2, customer_id);
    while (true) {
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      auto invoice = ReadInvoice(**query);
      if (!invoice) return Fail(invoice.error());
      invoices.push_back(std::move(*invoice));
      if (invoices.size() > kOfferInvoicesMax) {
        return Fail(FieldError(field, "invoices",
                               TrFormat(language, "el cliente tiene más de {} facturas abiertas: elija cuáles cubre la oferta",
                                        "the customer has more than {} open invoices: choose the ones the offer covers",
                                        kOfferInvoicesMax)));
      }
    }
    if (invoices.empty()) {
      return Fail(FieldError(field, "invoices",
                             std::string(Tr(language, "el cliente no tiene facturas abiertas", "the customer has no open invoices"))));
    }
    std::set<std::string> currencies;
    for (const InvoiceRow& invoice : invoices) currencies.insert(invoice.currency);
    if (currencies.size() > 1) {
      return Fail(FieldError(field, "invoices",
                             std::string(Tr(language, "el cliente debe en varias monedas: elija facturas de una sola",
                                            "the customer owes in several currencies: choose invoices of one"))));
    }
    return invoices;
  }
  if (chosen.size() > kOfferInvoicesMax) {
    return Fail(FieldError(field, "invoices",
                           TrFormat(language, "una oferta cubre a lo sumo {} facturas", "an offer covers at most {} invoices",
                                    kOfferInvoicesMax)));
  }
  auto query = database.Prepare(fmt::format(
      "SELECT {} FROM invoices WHERE tenant_id = ? AND customer_id = ? AND external_id = ?", kInvoiceColumns));
  if (!query) return Fail(query.error());
  std::set<std::string> seen;
  for (size_t i = 0; i < chosen.size(); ++i) {
    const std::string name = fmt::format("invoices/{}", i);
    if (!seen.insert(chosen[i]).second) {
      return Fail(FieldError(field, name, TrFormat(language, "la factura '{}' está repetida", "invoice '{}' is repeated",
                                                   chosen[i])));
    }
    (*query)->Reset();
    (*query)->BindInt64(1, tenant_id);
    (*query)->BindInt64(2, customer_id);
    (*query)->BindText(3, chosen[i]);
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) {
      return Fail(FieldError(field, name,
                             TrFormat(language, "el cliente no tiene una factura '{}'", "the customer has no invoice '{}'",
                                      chosen[i])));
    }
    auto invoice = ReadInvoice(**query);
    if (!invoice) return Fail(invoice.error());
    if (invoice->open_minor <= 0) {
      return Fail(FieldError(field, name, TrFormat(language, "la factura '{}' no tiene saldo pendiente",
                                                   "invoice '{}' owes nothing", chosen[i])));
    }
    if (!invoices.empty() && invoice->currency != invoices.front().currency) {
      return Fail(FieldError(field, name,
                             TrFormat(language, "la factura '{}' está en {}, las demás en {}: una oferta es de una moneda",
                                      "invoice '{}' is in {}, the others in {}: an offer is in one currency", chosen[i],
                                      invoice->currency, invoices.front().currency)));
    }
    invoices.push_back(std::move(*invoice));
  }
  return invoices;
}

// Reads the quote; `customer` is filled for CreateOffer.
Result<OfferQuote> Quote(Database& database, int64_t tenant_id, const OfferRequest& request, const OfferActor& actor,
                         Timestamp now, Language language, std::string* field, CustomerRow* customer_out) {
  auto type = ParseOfferType(request.type);
  if (!type) {
    return Fail(FieldError(field, "type",
                           TrFormat(language, "'{}' no es un tipo de oferta (early_payment_discount, waiver, settlement)",
                                    "'{}' is not an offer type (early_payment_discount, waiver, settlement)",
                                    request.type)));
  }
  if (request.percent.has_value() == request.amount.has_value()) {
    return Fail(FieldError(field, request.amount ? "amount" : "percent",
                           std::string(Tr(language, "indique el porcentaje (percent) o el valor (amount) condonado, uno solo",
                                          "give the forgiven percent or amount, exactly one"))));
  }
  if (request.note.size() > kOfferNoteBytesMax) {
    return Fail(FieldError(field, "note", TrFormat(language, "la nota pasa de {} bytes", "the note is longer than {} bytes",
                                                   kOfferNoteBytesMax)));
  }
  if (!Allows(actor.role, Role::kCollector)) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "solo un gestor o más puede hacer ofertas", "only a collector or above may make offers"))));
  }
  auto customer = FindCustomer(database, tenant_id, request.customer_external_id, language);
  if (!customer) return Fail(customer.error());
  const Date today = DateIn(customer->time_zone, now);
  if (request.expires_on < today) {
    return Fail(FieldError(field, "expires_on",
                           TrFormat(language, "la oferta vence el {}, que ya pasó (hoy es {} para el cliente)",
                                    "the offer expires on {}, already past (today is {} for the customer)",
                                    request.expires_on.ToIso(), today.ToIso())));
  }
  if (DaysBetween(today, request.expires_on) > kOfferDaysAheadMax) {
    return Fail(FieldError(field, "expires_on",
                           TrFormat(language, "una oferta dura a lo sumo {} días", "an offer lasts at most {} days",
                                    kOfferDaysAheadMax)));
  }
  auto invoices = CoveredInvoices(database, tenant_id, customer->id, request.invoice_external_ids, language, field);
  if (!invoices) return Fail(invoices.error());
  OfferQuote quote;
  quote.customer_external_id = request.customer_external_id;
  quote.type = std::string(OfferTypeCode(*type));
  quote.currency = invoices->front().currency;
  quote.expires_on = request.expires_on;
  int64_t balance = 0;
  std::vector<int64_t> open;
  for (const InvoiceRow& invoice : *invoices) {
    auto sum = CheckedAdd(balance, invoice.open_minor);
    if (!sum) return Fail(sum.error());
    balance = *sum;
    open.push_back(invoice.open_minor);
  }
  if (request.percent) {
    auto basis_points = ParsePercent(*request.percent, language);
    if (!basis_points) return Fail(FieldError(field, "percent", basis_points.error().message));
    auto amounts = AmountsForPercent(balance, *basis_points, language);
    if (!amounts) return Fail(FieldError(field, "percent", amounts.error().message));
    quote.amounts = *amounts;
  } else {
    auto currency = Currency::FromCode(quote.currency);
    if (!currency) return Fail(Error::Internal(fmt::format("stored currency '{}' is unknown", quote.currency)));
    auto forgiven = Money::Parse(*request.amount, *currency);
    if (!forgiven) return Fail(FieldError(field, "amount", forgiven.error().message));
    auto amounts = AmountsForForgiven(balance, forgiven->minor_units(), language);
    if (!amounts) return Fail(FieldError(field, "amount", amounts.error().message));
    quote.amounts = *amounts;
  }
  quote.percent_bp = ForgivenBasisPoints(quote.amounts.forgiven_minor, balance);
  const std::vector<int64_t> shares = ShareForgiven(quote.amounts.forgiven_minor, open);
  for (size_t i = 0; i < invoices->size(); ++i) {
    const InvoiceRow& invoice = (*invoices)[i];
    quote.invoices.push_back({invoice.id, invoice.external_id, invoice.number, invoice.due_date, invoice.open_minor,
                              shares[i], std::nullopt});
  }
  auto limits = LoadOfferLimits(database, tenant_id);
  if (!limits) return Fail(limits.error());
  quote.actor_limit = LimitFor(*limits, actor.role, quote.currency);
  quote.needs_approval = !WithinLimit(quote.actor_limit, quote.amounts.forgiven_minor, balance);
  if (customer_out != nullptr) *customer_out = *customer;
  return quote;
}

nlohmann::json InvoicesJson(const std::vector<OfferInvoice>& invoices, const std::string& currency) {
  nlohmann::json rows = nlohmann::json::array();
  for (const OfferInvoice& invoice : invoices) {
    rows.push_back({{"invoice_external_id", invoice.external_id},
                    {"number", invoice.number},
                    {"due_date", invoice.due_date.ToIso()},
                    {"open", MoneyJson(invoice.open_minor, currency)},
                    {"forgiven", MoneyJson(invoice.forgiven_minor, currency)},
                    {"credit_note_id", invoice.credit_note_id ? nlohmann::json(*invoice.credit_note_id) : nullptr}});
  }
  return rows;
}

nlohmann::json LimitJson(const ApprovalLimit& limit, const std::string& currency) {
  return {{"max_percent", limit.max_basis_points ? nlohmann::json(FormatPercent(*limit.max_basis_points)) : nullptr},
          {"max_amount", limit.max_forgiven_minor ? MoneyJson(*limit.max_forgiven_minor, currency) : nullptr}};
}

nlohmann::json Nullable(const std::optional<std::string>& text) { return text ? nlohmann::json(*text) : nullptr; }

// Moves one offer from one of `from` to `to`, setting the extra columns,
// with the audit row. REQUIRES: inside the caller's transaction.
Status Transition(Database& database, int64_t tenant_id, const Offer& offer, std::string_view to,
                  const std::vector<std::pair<std::string, std::string>>& columns, const AuditContext& audit,
                  nlohmann::json after) {
  std::string sets = "status = ?, updated_at = ?";
  for (const auto& [column, value] : columns) sets += fmt::format(", {} = ?", column);
  auto update = database.Prepare(
      fmt::format("UPDATE offers SET {} WHERE tenant_id = ? AND id = ? AND status = ?", sets));
  if (!update) return Fail(update.error());
  int parameter = 1;
  (*update)->BindText(parameter++, to);
  (*update)->BindText(parameter++, audit.at);
  for (const auto& column : columns) (*update)->BindText(parameter++, column.second);
  (*update)->BindInt64(parameter++, tenant_id);
  (*update)->BindInt64(parameter++, offer.id);
  (*update)->BindText(parameter++, offer.status);
  if (auto ok = (*update)->Run(); !ok) return ok;
  if ((*update)->ChangedRows() != 1) {
    return Fail(Error::Conflict(TrFormat(audit.language, "la oferta {} cambió mientras tanto: vuelva a intentarlo",
                                         "offer {} changed meanwhile: try again", offer.id)));
  }
  after["status"] = std::string(to);
  for (const auto& [column, value] : columns) after[column] = value;
  return Audit(database, tenant_id, audit, "offer", offer.id, "update", {{"status", offer.status}}, after);
}

Error WrongState(const Offer& offer, std::string_view wanted, Language language) {
  return Error::Conflict(TrFormat(language, "la oferta {} está {}, no {}", "offer {} is {}, not {}", offer.id,
                                  offer.status, wanted));
}

Result<Date> CustomerToday(Database& database, int64_t tenant_id, int64_t customer_id, const std::string& at) {
  auto query = database.Prepare("SELECT time_zone FROM customers WHERE tenant_id = ? AND id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, customer_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  const std::string zone = *row && !(*query)->IsNull(0) ? std::string((*query)->GetText(0)) : "UTC";
  return TodayFor(zone, at);
}

// Approve and reject: the same checks, one outcome each.
Status Decide(Database& database, int64_t tenant_id, int64_t offer_id, const OfferActor& actor, const std::string& note,
              const AuditContext& audit, bool approve) {
  const Language language = audit.language;
  if (!approve && note.empty()) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "nota: diga por qué se rechaza la oferta", "note: say why the offer is rejected"))));
  }
  if (note.size() > kOfferNoteBytesMax) {
    return Fail(Error::BadInput(TrFormat(language, "nota: pasa de {} bytes", "note: longer than {} bytes",
                                         kOfferNoteBytesMax)));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto offer = LoadOffer(database, tenant_id, offer_id, language);
  if (!offer) return Fail(offer.error());
  auto limits = LoadOfferLimits(database, tenant_id);
  if (!limits) return Fail(limits.error());
  if (auto refusal = DecisionRefusal(*offer, actor, *limits, language)) {
    return Fail(offer->status == "pending_approval" ? Error::BadInput(std::move(*refusal))
                                                    : Error::Conflict(std::move(*refusal)));
  }
  auto today = CustomerToday(database, tenant_id, offer->customer_id, audit.at);
  if (!today) return Fail(today.error());
  if (approve && offer->expires_on < *today) {
    return Fail(Error::Conflict(TrFormat(language, "la oferta {} venció el {}", "offer {} expired on {}", offer->id,
                                         offer->expires_on.ToIso())));
  }
  const ApprovalLimit limit = LimitFor(*limits, actor.role, offer->currency);
  nlohmann::json after = {{"decided_by", actor.actor},
                          {"role", std::string(access::RoleName(actor.role))},
                          {"forgiven", MoneyJson(offer->forgiven_minor, offer->currency)},
                          {"percent", FormatPercent(offer->percent_bp)},
                          {"approver_limit", LimitJson(limit, offer->currency)}};
  if (auto ok = Transition(database, tenant_id, *offer, approve ? "approved" : "rejected",
                           {{"decided_by", actor.actor}, {"decided_at", audit.at}, {"decision_note", note}}, audit,
                           std::move(after));
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

Result<std::vector<Offer>> ReadOffers(Database& database, int64_t tenant_id, const OfferFilter& filter,
                                      std::optional<Date> not_before_expiry, bool debtor_visible) {
  std::string sql =
      "SELECT o.id, o.customer_id, c.external_id, c.name, o.type, o.status, o.currency, o.balance_minor, "
      "o.forgiven_minor, o.due_minor, o.percent_bp, o.expires_on, o.created_on, o.note, o.created_by, o.created_role, "
      "o.created_at, o.decided_by, o.decided_at, o.decision_note, o.accepted_by, o.accepted_at, o.accepted_channel, "
      "o.resolved_on, o.forgiven_posted_minor FROM offers o JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = "
      "o.customer_id WHERE o.tenant_id = ?";
  if (filter.status) sql += " AND o.status = ?";
  if (filter.customer_id) sql += " AND o.customer_id = ?";
  if (filter.id) sql += " AND o.id = ?";
  if (filter.starting_after) sql += " AND o.id < ?";
  if (debtor_visible) sql += " AND o.status IN ('approved', 'accepted')";
  if (not_before_expiry) sql += " AND o.expires_on >= ?";
  sql += fmt::format(" ORDER BY o.id DESC LIMIT {}", std::clamp<int64_t>(filter.limit, 1, 1001));
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (filter.status) (*query)->BindText(parameter++, *filter.status);
  if (filter.customer_id) (*query)->BindInt64(parameter++, *filter.customer_id);
  if (filter.id) (*query)->BindInt64(parameter++, *filter.id);
  if (filter.starting_after) (*query)->BindInt64(parameter++, *filter.starting_after);
  if (not_before_expiry) (*query)->BindText(parameter++, not_before_expiry->ToIso());
  std::vector<Offer> offers;
  std::map<int64_t, size_t> index;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    Offer offer;
    offer.id = r.GetInt64(0);
    offer.customer_id = r.GetInt64(1);
    offer.customer_external_id = std::string(r.GetText(2));
    offer.customer_name = std::string(r.GetText(3));
    offer.type = std::string(r.GetText(4));
    offer.status = std::string(r.GetText(5));
    offer.currency = std::string(r.GetText(6));
    offer.balance_minor = r.GetInt64(7);
    offer.forgiven_minor = r.GetInt64(8);
    offer.due_minor = r.GetInt64(9);
    offer.percent_bp = r.GetInt64(10);
    auto expires = Date::ParseIso(r.GetText(11).substr(0, 10));
    auto created = Date::ParseIso(r.GetText(12).substr(0, 10));
    if (!expires || !created) return Fail(Error::Internal("an offer's stored dates are not dates"));
    offer.expires_on = *expires;
    offer.created_on = *created;
    offer.note = std::string(r.GetText(13));
    offer.created_by = std::string(r.GetText(14));
    offer.created_role = std::string(r.GetText(15));
    offer.created_at = std::string(r.GetText(16));
    offer.decided_by = OptionalText(r, 17);
    offer.decided_at = OptionalText(r, 18);
    offer.decision_note = OptionalText(r, 19);
    offer.accepted_by = OptionalText(r, 20);
    offer.accepted_at = OptionalText(r, 21);
    offer.accepted_channel = OptionalText(r, 22);
    if (!r.IsNull(23)) {
      auto resolved = Date::ParseIso(r.GetText(23).substr(0, 10));
      if (resolved) offer.resolved_on = *resolved;
    }
    if (!r.IsNull(24)) offer.forgiven_posted_minor = r.GetInt64(24);
    index[offer.id] = offers.size();
    offers.push_back(std::move(offer));
  }
  query->reset();
  if (offers.empty()) return offers;
  std::string ids;
  for (const Offer& offer : offers) ids += (ids.empty() ? "" : ",") + std::to_string(offer.id);
  auto invoices = database.Prepare(fmt::format(
      "SELECT oi.offer_id, oi.invoice_id, i.external_id, i.number, i.due_date, oi.open_minor, oi.forgiven_minor, "
      "oi.credit_note_id FROM offer_invoices oi JOIN invoices i ON i.tenant_id = oi.tenant_id AND i.id = oi.invoice_id "
      "WHERE oi.tenant_id = ? AND oi.offer_id IN ({}) ORDER BY oi.offer_id, oi.ordinal",
      ids));
  if (!invoices) return Fail(invoices.error());
  (*invoices)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*invoices)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **invoices;
    auto due = Date::ParseIso(r.GetText(4).substr(0, 10));
    if (!due) return Fail(Error::Internal("an invoice's stored due date is not a date"));
    OfferInvoice invoice{r.GetInt64(1), std::string(r.GetText(2)), std::string(r.GetText(3)), *due, r.GetInt64(5),
                         r.GetInt64(6), std::nullopt};
    if (!r.IsNull(7)) invoice.credit_note_id = r.GetInt64(7);
    offers[index.at(r.GetInt64(0))].invoices.push_back(std::move(invoice));
  }
  return offers;
}

}  // namespace

// ---- JSON ----

nlohmann::json OfferJson(const Offer& offer) {
  return {{"object", "offer"},
          {"id", offer.id},
          {"customer_external_id", offer.customer_external_id},
          {"customer_name", offer.customer_name},
          {"type", offer.type},
          {"status", offer.status},
          {"percent", FormatPercent(offer.percent_bp)},
          {"balance", MoneyJson(offer.balance_minor, offer.currency)},
          {"forgiven", MoneyJson(offer.forgiven_minor, offer.currency)},
          {"due", MoneyJson(offer.due_minor, offer.currency)},
          {"expires_on", offer.expires_on.ToIso()},
          {"created_on", offer.created_on.ToIso()},
          {"invoices", InvoicesJson(offer.invoices, offer.currency)},
          {"note", offer.note},
          {"created_by", offer.created_by},
          {"created_role", offer.created_role},
          {"created_at", offer.created_at},
          {"decided_by", Nullable(offer.decided_by)},
          {"decided_at", Nullable(offer.decided_at)},
          {"decision_note", Nullable(offer.decision_note)},
          {"accepted_by", Nullable(offer.accepted_by)},
          {"accepted_at", Nullable(offer.accepted_at)},
          {"accepted_channel", Nullable(offer.accepted_channel)},
          {"resolved_on", offer.resolved_on ? nlohmann::json(offer.resolved_on->ToIso()) : nullptr},
          {"forgiven_posted",
           offer.forgiven_posted_minor ? MoneyJson(*offer.forgiven_posted_minor, offer.currency) : nullptr}};
}

nlohmann::json DebtorOfferJson(const Offer& offer) {
  nlohmann::json invoices = nlohmann::json::array();
  for (const OfferInvoice& invoice : offer.invoices) {
    invoices.push_back({{"number", invoice.number}, {"open", MoneyJson(invoice.open_minor, offer.currency)}});
  }
  return {{"id", offer.id},
          {"type", offer.type},
          {"status", offer.status},
          {"percent", FormatPercent(offer.percent_bp)},
          {"balance", MoneyJson(offer.balance_minor, offer.currency)},
          {"forgiven", MoneyJson(offer.forgiven_minor, offer.currency)},
          {"due", MoneyJson(offer.due_minor, offer.currency)},
          {"expires_on", offer.expires_on.ToIso()},
          {"invoices", invoices}};
}

nlohmann::json OfferQuoteJson(const OfferQuote& quote) {
  return {{"object", "offer_quote"},
          {"customer_external_id", quote.customer_external_id},
          {"type", quote.type},
          {"percent", FormatPercent(quote.percent_bp)},
          {"balance", MoneyJson(quote.amounts.balance_minor, quote.currency)},
          {"forgiven", MoneyJson(quote.amounts.forgiven_minor, quote.currency)},
          {"due", MoneyJson(quote.amounts.due_minor, quote.currency)},
          {"expires_on", quote.expires_on.ToIso()},
          {"invoices", InvoicesJson(quote.invoices, quote.currency)},
          {"needs_approval", quote.needs_approval},
          {"your_limit", LimitJson(quote.actor_limit, quote.currency)}};
}

// ---- Limits ----

std::vector<RoleLimit> DefaultLimits() {
  return {RoleLimit{Role::kCollector, 500, {}}, RoleLimit{Role::kManager, 2000, {}},
          RoleLimit{Role::kAdmin, std::nullopt, {}}};
}

Result<std::vector<RoleLimit>> LoadOfferLimits(Database& database, int64_t tenant_id) {
  std::vector<RoleLimit> limits = DefaultLimits();
  auto rows = database.Prepare("SELECT role, max_percent_bp FROM offer_limits WHERE tenant_id = ?");
  if (!rows) return Fail(rows.error());
  (*rows)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*rows)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto role = access::ParseRole((*rows)->GetText(0));
    for (RoleLimit& limit : limits) {
      if (role && limit.role == *role) {
        limit.max_basis_points = (*rows)->IsNull(1) ? std::nullopt : std::optional((*rows)->GetInt64(1));
      }
    }
  }
  rows->reset();
  auto amounts = database.Prepare(
      "SELECT role, currency, max_minor FROM offer_limit_amounts WHERE tenant_id = ? ORDER BY role, currency");
  if (!amounts) return Fail(amounts.error());
  (*amounts)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*amounts)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto role = access::ParseRole((*amounts)->GetText(0));
    for (RoleLimit& limit : limits) {
      if (role && limit.role == *role && limit.role != Role::kAdmin) {
        limit.max_amounts.emplace_back(std::string((*amounts)->GetText(1)), (*amounts)->GetInt64(2));
      }
    }
  }
  return limits;
}

Status SetOfferLimits(Database& database, int64_t tenant_id, const std::vector<RoleLimit>& limits,
                      const AuditContext& audit) {
  const Language language = audit.language;
  for (const RoleLimit& limit : limits) {
    if (limit.role != Role::kCollector && limit.role != Role::kManager) {
      return Fail(Error::BadInput(TrFormat(
          language, "rol: solo collector y manager tienen límite (admin no tiene, viewer no hace ofertas), no '{}'",
          "role: only collector and manager have a limit (admin has none, viewer makes no offers), not '{}'",
          access::RoleName(limit.role))));
    }
    if (limit.max_basis_points && (*limit.max_basis_points < 0 || *limit.max_basis_points > kBasisPointsPerWhole)) {
      return Fail(Error::BadInput(std::string(
          Tr(language, "max_percent: debe estar entre 0 y 100", "max_percent: must be from 0 to 100"))));
    }
    for (const auto& [currency, max_minor] : limit.max_amounts) {
      if (!Currency::FromCode(currency)) {
        return Fail(Error::BadInput(TrFormat(language, "'{}' no es un código de moneda ISO 4217",
                                             "'{}' is not an ISO 4217 currency code", currency)));
      }
      if (max_minor < 0 || !IsWithinDocumentAmountLimit(max_minor)) {
        return Fail(Error::BadInput(std::string(Tr(language, "max_amounts: el valor debe ser cero o más",
                                                   "max_amounts: the amount must be zero or more"))));
      }
    }
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto before = LoadOfferLimits(database, tenant_id);
  if (!before) return Fail(before.error());
  for (const RoleLimit& limit : limits) {
    const std::string role(access::RoleName(limit.role));
    for (std::string_view table : {"offer_limits", "offer_limit_amounts"}) {
      auto erase = database.Prepare(fmt::format("DELETE FROM {} WHERE tenant_id = ? AND role = ?", table));
      if (!erase) return Fail(erase.error());
      (*erase)->BindInt64(1, tenant_id);
      (*erase)->BindText(2, role);
      if (auto ok = (*erase)->Run(); !ok) return ok;
    }
    auto insert = database.Prepare(
        "INSERT INTO offer_limits (tenant_id, role, max_percent_bp, updated_at) VALUES (?, ?, ?, ?)");
    if (!insert) return Fail(insert.error());
    (*insert)->BindInt64(1, tenant_id);
    (*insert)->BindText(2, role);
    limit.max_basis_points ? (*insert)->BindInt64(3, *limit.max_basis_points) : (*insert)->BindNull(3);
    (*insert)->BindText(4, audit.at);
    if (auto ok = (*insert)->Run(); !ok) return ok;
    insert->reset();
    std::set<std::string> seen;
    for (const auto& [currency, max_minor] : limit.max_amounts) {
      if (!seen.insert(currency).second) {
        return Fail(Error::BadInput(TrFormat(language, "max_amounts: la moneda {} está repetida",
                                             "max_amounts: currency {} is repeated", currency)));
      }
      auto amount = database.Prepare(
          "INSERT INTO offer_limit_amounts (tenant_id, role, currency, max_minor) VALUES (?, ?, ?, ?)");
      if (!amount) return Fail(amount.error());
      (*amount)->BindInt64(1, tenant_id);
      (*amount)->BindText(2, role);
      (*amount)->BindText(3, currency);
      (*amount)->BindInt64(4, max_minor);
      if (auto ok = (*amount)->Run(); !ok) return ok;
    }
  }
  auto after = LoadOfferLimits(database, tenant_id);
  if (!after) return Fail(after.error());
  if (auto ok = Audit(database, tenant_id, audit, "offer_limits", tenant_id, "update", OfferLimitsJson(*before),
                      OfferLimitsJson(*after));
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

ApprovalLimit LimitFor(const std::vector<RoleLimit>& limits, Role role, std::string_view currency) {
  if (role == Role::kAdmin) return ApprovalLimit{};
  // A viewer grants nothing.
  ApprovalLimit limit{0, std::nullopt};
  for (const RoleLimit& configured : limits) {
    if (configured.role != role) continue;
    limit.max_basis_points = configured.max_basis_points;
    for (const auto& [code, max_minor] : configured.max_amounts) {
      if (code == currency) limit.max_forgiven_minor = max_minor;
    }
  }
  return limit;
}

nlohmann::json OfferLimitsJson(const std::vector<RoleLimit>& limits) {
  nlohmann::json rows = nlohmann::json::array();
  for (const RoleLimit& limit : limits) {
    nlohmann::json amounts = nlohmann::json::array();
    for (const auto& [currency, max_minor] : limit.max_amounts) amounts.push_back(MoneyJson(max_minor, currency));
    rows.push_back({{"role", std::string(access::RoleName(limit.role))},
                    {"max_percent", limit.max_basis_points ? nlohmann::json(FormatPercent(*limit.max_basis_points))
                                                           : nlohmann::json(nullptr)},
                    {"max_amounts", amounts}});
  }
  return {{"object", "offer_limits"}, {"limits", rows}};
}

// ---- Offers ----

Result<OfferQuote> QuoteOffer(Database& database, int64_t tenant_id, const OfferRequest& request,
                              const OfferActor& actor, Timestamp now, Language language, std::string* field) {
  return Quote(database, tenant_id, request, actor, now, language, field, nullptr);
}

Result<int64_t> CreateOffer(Database& database, int64_t tenant_id, const OfferRequest& request,
                            const OfferActor& actor, const AuditContext& audit, std::string* field) {
  auto now = ParseUtc(audit.at);
  if (!now) return Fail(Error::Internal(fmt::format("the audit time '{}' is not a UTC timestamp", audit.at)));
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  // The open amounts the offer fixes are read under the ledger lock: no
  // payment lands between reading them and saving the offer.
  if (auto ok = LockTenantLedger(database, tenant_id); !ok) return Fail(ok.error());
  CustomerRow customer;
  auto quote = Quote(database, tenant_id, request, actor, *now, audit.language, field, &customer);
  if (!quote) return Fail(quote.error());
  // An invoice is in one live offer at a time: two would forgive twice.
  auto live = database.Prepare(
      "SELECT o.id FROM offer_invoices oi JOIN offers o ON o.tenant_id = oi.tenant_id AND o.id = oi.offer_id "
      "WHERE oi.tenant_id = ? AND oi.invoice_id = ? AND o.status IN ('pending_approval', 'approved', 'accepted')");
  if (!live) return Fail(live.error());
  auto paid = database.Prepare(
      "SELECT COALESCE(SUM(amount_minor), 0) FROM allocations WHERE tenant_id = ? AND invoice_id = ? AND payment_id "
      "IS NOT NULL");
  if (!paid) return Fail(paid.error());
  std::vector<int64_t> paid_before;
  for (size_t i = 0; i < quote->invoices.size(); ++i) {
    const OfferInvoice& invoice = quote->invoices[i];
    (*live)->Reset();
    (*live)->BindInt64(1, tenant_id);
    (*live)->BindInt64(2, invoice.invoice_id);
    auto row = (*live)->Step();
    if (!row) return Fail(row.error());
    if (*row) {
      if (field != nullptr) *field = request.invoice_external_ids.empty() ? "invoices" : fmt::format("invoices/{}", i);
      return Fail(Error::Conflict(TrFormat(audit.language, "la factura '{}' ya está en la oferta {}",
                                           "invoice '{}' is already in offer {}", invoice.external_id,
                                           (*live)->GetInt64(0))));
    }
    (*paid)->Reset();
    (*paid)->BindInt64(1, tenant_id);
    (*paid)->BindInt64(2, invoice.invoice_id);
    auto sum = (*paid)->Step();
    if (!sum) return Fail(sum.error());
    paid_before.push_back(*sum ? (*paid)->GetInt64(0) : 0);
  }
  live->reset();
  paid->reset();
  auto today = TodayFor(customer.time_zone, audit.at);
  if (!today) return Fail(today.error());
  const std::string status = quote->needs_approval ? "pending_approval" : "approved";
  auto insert = database.Prepare(
      "INSERT INTO offers (tenant_id, customer_id, type, status, currency, balance_minor, forgiven_minor, due_minor, "
      "percent_bp, expires_on, created_on, note, created_by, created_role, created_at, decided_by, decided_at, "
      "decision_note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  Statement& s = **insert;
  s.BindInt64(1, tenant_id);
  s.BindInt64(2, customer.id);
  s.BindText(3, quote->type);
  s.BindText(4, status);
  s.BindText(5, quote->currency);
  s.BindInt64(6, quote->amounts.balance_minor);
  s.BindInt64(7, quote->amounts.forgiven_minor);
  s.BindInt64(8, quote->amounts.due_minor);
  s.BindInt64(9, quote->percent_bp);
  s.BindText(10, quote->expires_on.ToIso());
  s.BindText(11, today->ToIso());
  s.BindText(12, request.note);
  s.BindText(13, actor.actor);
  s.BindText(14, access::RoleName(actor.role));
  s.BindText(15, audit.at);
  if (quote->needs_approval) {
    s.BindNull(16);
    s.BindNull(17);
    s.BindNull(18);
  } else {
    // Within the maker's own limit: the maker granted it.
    s.BindText(16, actor.actor);
    s.BindText(17, audit.at);
    s.BindText(18, "within the maker's limit");
  }
  s.BindText(19, audit.at);
  if (auto ok = s.Run(); !ok) return Fail(ok.error());
  insert->reset();
  auto id = database.QueryInt64(fmt::format("SELECT MAX(id) FROM offers WHERE tenant_id = {}", tenant_id));
  if (!id) return Fail(id.error());
  const int64_t offer_id = id->value_or(0);
  auto line = database.Prepare(
      "INSERT INTO offer_invoices (tenant_id, offer_id, invoice_id, ordinal, open_minor, paid_before_minor, "
      "forgiven_minor) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!line) return Fail(line.error());
  nlohmann::json covered = nlohmann::json::array();
  for (size_t i = 0; i < quote->invoices.size(); ++i) {
    const OfferInvoice& invoice = quote->invoices[i];
    (*line)->Reset();
    (*line)->BindInt64(1, tenant_id);
    (*line)->BindInt64(2, offer_id);
    (*line)->BindInt64(3, invoice.invoice_id);
    (*line)->BindInt64(4, static_cast<int64_t>(i));
    (*line)->BindInt64(5, invoice.open_minor);
    (*line)->BindInt64(6, paid_before[i]);
    (*line)->BindInt64(7, invoice.forgiven_minor);
    if (auto ok = (*line)->Run(); !ok) return Fail(ok.error());
    covered.push_back({{"invoice_external_id", invoice.external_id},
                       {"open", Exponentless(invoice.open_minor, quote->currency)},
                       {"forgiven", Exponentless(invoice.forgiven_minor, quote->currency)}});
  }
  line->reset();
  const nlohmann::json after = {{"customer_external_id", request.customer_external_id},
                                {"type", quote->type},
                                {"status", status},
                                {"percent", FormatPercent(quote->percent_bp)},
                                {"balance", MoneyJson(quote->amounts.balance_minor, quote->currency)},
                                {"forgiven", MoneyJson(quote->amounts.forgiven_minor, quote->currency)},
                                {"due", MoneyJson(quote->amounts.due_minor, quote->currency)},
                                {"expires_on", quote->expires_on.ToIso()},
                                {"invoices", covered},
                                {"created_by", actor.actor},
                                {"role", std::string(access::RoleName(actor.role))},
                                {"maker_limit", LimitJson(quote->actor_limit, quote->currency)},
                                {"granted_by", quote->needs_approval ? nlohmann::json(nullptr) : nlohmann::json(actor.actor)}};
  if (auto ok = Audit(database, tenant_id, audit, "offer", offer_id, "create", nullptr, after); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return offer_id;
}

std::optional<std::string> DecisionRefusal(const Offer& offer, const OfferActor& actor,
                                           const std::vector<RoleLimit>& limits, Language language) {
  if (offer.status != "pending_approval") {
    return TrFormat(language, "la oferta {} está {}, no pending_approval", "offer {} is {}, not pending_approval",
                    offer.id, offer.status);
  }
  if (!Allows(actor.role, Role::kManager)) {
    return std::string(Tr(language, "solo un manager o un admin aprueba o rechaza ofertas",
                          "only a manager or an admin approves or rejects offers"));
  }
  if (actor.actor == offer.created_by) {
    return std::string(Tr(language, "nadie aprueba ni rechaza su propia oferta (puede retirarla)",
                          "nobody approves or rejects their own offer (you may withdraw it)"));
  }
  const ApprovalLimit limit = LimitFor(limits, actor.role, offer.currency);
  if (!WithinLimit(limit, offer.forgiven_minor, offer.balance_minor)) {
    std::string cap = limit.max_basis_points ? FormatPercent(*limit.max_basis_points) + " %" : "-";
    if (limit.max_forgiven_minor) {
      cap += fmt::format(", {} {}", Exponentless(*limit.max_forgiven_minor, offer.currency), offer.currency);
    }
    return TrFormat(language, "la oferta condona {} % ({} {}), más de lo que su rol ({}) puede autorizar ({})",
                    "the offer forgives {} % ({} {}), more than your role ({}) may grant ({})",
                    FormatPercent(offer.percent_bp), Exponentless(offer.forgiven_minor, offer.currency), offer.currency,
                    access::RoleName(actor.role), cap);
  }
  return std::nullopt;
}

bool IsAuthorityRefusal(const Offer& offer, const OfferActor& actor, const std::vector<RoleLimit>& limits) {
  return offer.status == "pending_approval" && DecisionRefusal(offer, actor, limits, Language::kEnglish).has_value();
}

Status ApproveOffer(Database& database, int64_t tenant_id, int64_t offer_id, const OfferActor& actor,
                    const std::string& note, const AuditContext& audit) {
  return Decide(database, tenant_id, offer_id, actor, note, audit, true);
}

Status RejectOffer(Database& database, int64_t tenant_id, int64_t offer_id, const OfferActor& actor,
                   const std::string& note, const AuditContext& audit) {
  return Decide(database, tenant_id, offer_id, actor, note, audit, false);
}

Status WithdrawOffer(Database& database, int64_t tenant_id, int64_t offer_id, const OfferActor& actor,
                     const std::string& note, const AuditContext& audit) {
  const Language language = audit.language;
  if (note.size() > kOfferNoteBytesMax) {
    return Fail(Error::BadInput(TrFormat(language, "nota: pasa de {} bytes", "note: longer than {} bytes",
                                         kOfferNoteBytesMax)));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto offer = LoadOffer(database, tenant_id, offer_id, language);
  if (!offer) return Fail(offer.error());
  if (offer->status != "pending_approval" && offer->status != "approved" && offer->status != "accepted") {
    return Fail(WrongState(*offer, "pending_approval, approved, accepted", language));
  }
  if (actor.actor != offer->created_by && !Allows(actor.role, Role::kManager)) {
    return Fail(Error::BadInput(std::string(Tr(language, "solo quien hizo la oferta, o un manager, puede retirarla",
                                               "only the offer's maker, or a manager, may withdraw it"))));
  }
  if (auto ok = Transition(database, tenant_id, *offer, "withdrawn", {{"decision_note", note}}, audit,
                           {{"withdrawn_by", actor.actor}});
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

Status AcceptOffer(Database& database, int64_t tenant_id, int64_t offer_id, const std::string& channel,
                   const AuditContext& audit) {
  const Language language = audit.language;
  if (std::find(kAcceptChannels.begin(), kAcceptChannels.end(), channel) == kAcceptChannels.end()) {
    return Fail(Error::BadInput(TrFormat(language, "canal: '{}' no es portal, phone, email ni in_person",
                                         "channel: '{}' is not portal, phone, email or in_person", channel)));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto offer = LoadOffer(database, tenant_id, offer_id, language);
  if (!offer) return Fail(offer.error());
  if (offer->status != "approved") return Fail(WrongState(*offer, "approved", language));
  auto today = CustomerToday(database, tenant_id, offer->customer_id, audit.at);
  if (!today) return Fail(today.error());
  if (offer->expires_on < *today) {
    return Fail(Error::Conflict(TrFormat(language, "la oferta {} venció el {}", "offer {} expired on {}", offer->id,
                                         offer->expires_on.ToIso())));
  }
  if (auto ok = Transition(database, tenant_id, *offer, "accepted",
                           {{"accepted_by", audit.actor}, {"accepted_at", audit.at}, {"accepted_channel", channel}},
                           audit, nlohmann::json::object());
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

Result<std::vector<Offer>> ListOffers(Database& database, int64_t tenant_id, const OfferFilter& filter,
                                      Language language) {
  OfferFilter resolved = filter;
  if (filter.status && !IsStatus(*filter.status)) {
    return Fail(Error::BadInput(TrFormat(language,
                                         "estado: '{}' no es pending_approval, approved, accepted, fulfilled, rejected, "
                                         "expired ni withdrawn",
                                         "status: '{}' is not pending_approval, approved, accepted, fulfilled, "
                                         "rejected, expired or withdrawn",
                                         *filter.status)));
  }
  if (filter.customer_external_id) {
    auto customer = FindCustomer(database, tenant_id, *filter.customer_external_id, language);
    if (!customer) return Fail(customer.error());
    resolved.customer_id = customer->id;
  }
  return ReadOffers(database, tenant_id, resolved, std::nullopt, false);
}

Result<Offer> LoadOffer(Database& database, int64_t tenant_id, int64_t offer_id, Language language) {
  OfferFilter filter;
  filter.id = offer_id;
  filter.limit = 1;
  auto offers = ReadOffers(database, tenant_id, filter, std::nullopt, false);
  if (!offers) return Fail(offers.error());
  if (offers->empty()) return Fail(NoSuchOffer(offer_id, language));
  return std::move(offers->front());
}

Result<std::vector<Offer>> ListDebtorOffers(Database& database, int64_t tenant_id, int64_t customer_id, Date today) {
  OfferFilter filter;
  filter.customer_id = customer_id;
  filter.limit = 50;
  return ReadOffers(database, tenant_id, filter, today, true);
}

Status AcceptDebtorOffer(Database& database, int64_t tenant_id, int64_t customer_id, int64_t offer_id,
                         const AuditContext& audit) {
  auto offer = LoadOffer(database, tenant_id, offer_id, audit.language);
  if (!offer) return Fail(offer.error());
  // Another customer's offer, or one the debtor never saw, does not exist here.
  if (offer->customer_id != customer_id || (offer->status != "approved" && offer->status != "accepted")) {
    return Fail(NoSuchOffer(offer_id, audit.language));
  }
  return AcceptOffer(database, tenant_id, offer_id, "portal", audit);
}

}  // namespace cartera::offers
