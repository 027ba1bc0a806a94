#include "collection/records.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "collection/disputes.h"
#include "collection/promise_payments.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "report/customer_list.h"
#include "report/output.h"
#include "store/sql_dialect.h"
#include "webhooks/webhook_events.h"

namespace cartera {
namespace {

Status Audit(Database& database, int64_t tenant_id, const AuditContext& audit, std::string_view entity,
             int64_t entity_id, std::string_view action, const nlohmann::json& before, const nlohmann::json& after) {
  return WriteAudit(database, tenant_id, audit, entity, entity_id, action, before.is_null() ? "" : before.dump(),
                    after.is_null() ? "" : after.dump());
}

// The webhook event of a change, queued in the change's transaction and
// stamped with its audit time (webhooks/webhook_events.h).
Status EmitAt(Database& database, int64_t tenant_id, std::string_view type, const nlohmann::json& data,
              const AuditContext& audit) {
  auto at = ParseUtc(audit.at);
  if (!at) return Fail(Error::Internal(fmt::format("the audit time '{}' is not a UTC timestamp", audit.at)));
  auto emitted = webhooks::EmitEvent(database, tenant_id, type, data, *at);
  if (!emitted) return Fail(emitted.error());
  return {};
}

Result<int64_t> LastId(Database& database, std::string_view table, int64_t tenant_id) {
  auto id = database.QueryInt64(fmt::format("SELECT MAX(id) FROM {} WHERE tenant_id = {}", table, tenant_id));
  if (!id) return Fail(id.error());
  return id->value_or(0);
}

// "promise" and "dispute" as a reader of `language` says them.
std::string_view EntityWord(std::string_view entity, Language language) {
  if (entity == "promise") return Tr(language, "promesa", "promise");
  if (entity == "dispute") return Tr(language, "disputa", "dispute");
  return entity;
}

// Changes one row's status from `from` to `to`; NotFound or Conflict otherwise.
Status ChangeStatus(Database& database, int64_t tenant_id, std::string_view table, std::string_view entity, int64_t id,
                    std::string_view from, std::string_view to, std::string_view extra_column,
                    const std::string& extra_value, const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto current = database.Prepare(fmt::format("SELECT status FROM {} WHERE tenant_id = ? AND id = ?", table));
  if (!current) return Fail(current.error());
  (*current)->BindInt64(1, tenant_id);
  (*current)->BindInt64(2, id);
  auto row = (*current)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(audit.language, "no hay {} con id {}", "no {} with id {}", EntityWord(entity, audit.language), id)));
  }
  const std::string status((*current)->GetText(0));
  current->reset();
  if (status != from) {
    return Fail(Error::BadInput(TrFormat(audit.language, "{} {} está {}, no {}", "{} {} is {}, not {}",
                                         EntityWord(entity, audit.language), id, status, from)));
  }
  auto update = database.Prepare(fmt::format("UPDATE {} SET status = ?, resolved_at = ?{} WHERE tenant_id = ? AND id = ?",
                                             table, extra_column.empty() ? "" : fmt::format(", {} = ?", extra_column)));
  if (!update) return Fail(update.error());
  int parameter = 1;
  (*update)->BindText(parameter++, to);
  (*update)->BindText(parameter++, audit.at);
  if (!extra_column.empty()) (*update)->BindText(parameter++, extra_value);
  (*update)->BindInt64(parameter++, tenant_id);
  (*update)->BindInt64(parameter++, id);
  if (auto ok = (*update)->Run(); !ok) return ok;
  nlohmann::json after = {{"status", to}};
  if (!extra_column.empty()) after[std::string(extra_column)] = extra_value;
  if (auto ok = Audit(database, tenant_id, audit, entity, id, "update", {{"status", status}}, after); !ok) return ok;
  if (entity == "dispute" && to == "resolved") {
    if (auto ok = EmitAt(database, tenant_id, "dispute.resolved",
                         {{"dispute", {{"id", id}, {"status", "resolved"}, {"resolution", extra_value}}}}, audit);
        !ok) {
      return ok;
    }
  }
  return transaction->Commit();
}

}  // namespace

namespace {

// The dates a promise made through `source` may have, from `today` in the
// customer's zone.
PromiseLimits DateLimits(Date today, std::string_view source) {
  PromiseLimits limits;
  limits.earliest_date = today;
  if (source == "portal") limits.latest_date = today.PlusDays(kDebtorPromiseMaxDays);
  return limits;
}

}  // namespace

std::optional<std::string> PromiseDateRefusal(const PromiseLimits& limits, Date promised_date, Language language) {
  // A promise is for a day still to come in the debtor's zone (today
  // counts): one dated in the past would be broken the moment it is made.
  if (promised_date < limits.earliest_date) {
    return TrFormat(language, "la fecha prometida {} ya pasó (hoy es {} para el cliente)",
                    "the promised date {} is in the past (today is {} for the customer)", promised_date.ToIso(),
                    limits.earliest_date.ToIso());
  }
  if (limits.latest_date && *limits.latest_date < promised_date) {
    return TrFormat(language, "la fecha prometida {} pasa del plazo de {} días (a más tardar {})",
                    "the promised date {} is more than {} days ahead (at the latest {})", promised_date.ToIso(),
                    kDebtorPromiseMaxDays, limits.latest_date->ToIso());
  }
  return std::nullopt;
}

std::optional<std::string> PromiseAmountRefusal(const PromiseLimits& limits, int64_t amount_minor,
                                                std::string_view amount_text, Language language) {
  if (amount_minor < limits.min_minor) {
    return std::string(Tr(language, "importe: debe ser mayor que cero", "amount: must be greater than zero"));
  }
  if (amount_minor > limits.max_minor) {
    return TrFormat(language, "importe: {} {} es más de lo que el cliente debe en {} ({})",
                    "amount: {} {} is more than the customer owes in {} ({})", amount_text, limits.currency,
                    limits.currency, FormatMinorUnits(limits.max_minor, limits.exponent));
  }
  return std::nullopt;
}

Result<std::vector<PromiseLimits>> LoadPromiseLimits(Database& database, int64_t tenant_id,
                                                     const std::string& customer_external_id, Timestamp now,
                                                     std::string_view source) {
  auto query = database.Prepare(
      "SELECT c.time_zone, i.currency, SUM(i.open_minor) FROM customers c JOIN invoices i ON i.tenant_id = c.tenant_id "
      "AND i.customer_id = c.id AND i.open_minor > 0 WHERE c.tenant_id = ? AND c.external_id = ? "
      "GROUP BY c.time_zone, i.currency ORDER BY i.currency");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, customer_external_id);
  std::vector<PromiseLimits> all;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    const std::string time_zone = r.IsNull(0) ? std::string("UTC") : std::string(r.GetText(0));
    PromiseLimits limits = DateLimits(DateIn(time_zone, now), source);
    limits.currency = std::string(r.GetText(1));
    auto currency = Currency::FromCode(limits.currency);
    if (!currency) return Fail(Error::Internal(fmt::format("stored currency '{}' is unknown", limits.currency)));
    limits.exponent = currency->exponent();
    limits.max_minor = r.GetInt64(2);
    all.push_back(std::move(limits));
  }
  return all;
}

namespace {

// REQUIRES: inside the caller's transaction.
Result<int64_t> InsertPromise(Database& database, int64_t tenant_id, const std::string& customer_external_id,
                              Date promised_date, const std::string& amount, std::optional<std::string> currency,
                              const std::string& source, const std::string& note, const AuditContext& audit) {
  auto customer = database.Prepare(
      "SELECT c.id, (SELECT MIN(i.currency) FROM invoices i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id "
      "AND i.open_minor > 0), c.time_zone FROM customers c WHERE c.tenant_id = ? AND c.external_id = ?");
  if (!customer) return Fail(customer.error());
  (*customer)->BindInt64(1, tenant_id);
  (*customer)->BindText(2, customer_external_id);
  auto row = (*customer)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(audit.language, "no hay un cliente con el id externo '{}'",
                                         "no customer with external id '{}'", customer_external_id)));
  }
  const int64_t customer_id = (*customer)->GetInt64(0);
  if (!currency && (*customer)->IsNull(1)) {
    return Fail(Error::BadInput(
        TrFormat(audit.language, "el cliente '{}' no debe nada: indique la moneda (currency) de la promesa",
                 "customer '{}' owes nothing: give the promise's currency", customer_external_id)));
  }
  const std::string code = currency ? *currency : std::string((*customer)->GetText(1));
  const std::string time_zone = (*customer)->IsNull(2) ? std::string("UTC") : std::string((*customer)->GetText(2));
  customer->reset();
  // A promise is for a day still to come in the debtor's zone (today
  // counts): one dated in the past would be broken the moment it is made.
  if (auto now = ParseUtc(audit.at)) {
    const PromiseLimits dates = DateLimits(DateIn(time_zone, *now), source);
    if (auto refusal = PromiseDateRefusal(dates, promised_date, audit.language)) {
      return Fail(Error::BadInput(std::move(*refusal)));
    }
  }
  auto parsed_currency = Currency::FromCode(code);
  if (!parsed_currency) {
    return Fail(Error::BadInput(TrFormat(audit.language, "'{}' no es un código de moneda ISO 4217",
                                         "'{}' is not an ISO 4217 currency code", code)));
  }
  auto money = Money::Parse(amount, *parsed_currency);
  if (!money) return Fail(Error::BadInput(TrFormat(audit.language, "importe: {}", "amount: {}", money.error().message)));
  // Nobody promises more than they owe in that currency.
  auto owed = database.Prepare(
      "SELECT COALESCE(SUM(open_minor), 0) FROM invoices WHERE tenant_id = ? AND customer_id = ? AND currency = ? "
      "AND open_minor > 0");
  if (!owed) return Fail(owed.error());
  (*owed)->BindInt64(1, tenant_id);
  (*owed)->BindInt64(2, customer_id);
  (*owed)->BindText(3, code);
  auto owed_row = (*owed)->Step();
  if (!owed_row) return Fail(owed_row.error());
  const int64_t owed_minor = *owed_row ? (*owed)->GetInt64(0) : 0;
  owed->reset();
  if (owed_minor == 0) {
    return Fail(Error::BadInput(TrFormat(audit.language, "el cliente '{}' no debe nada en {}",
                                         "customer '{}' owes nothing in {}", customer_external_id, code)));
  }
  PromiseLimits amounts;
  amounts.currency = code;
  amounts.exponent = parsed_currency->exponent();
  amounts.max_minor = owed_minor;
  if (auto refusal = PromiseAmountRefusal(amounts, money->minor_units(), amount, audit.language)) {
    return Fail(Error::BadInput(std::move(*refusal)));
  }
  auto insert = database.Prepare(
      "INSERT INTO promises (tenant_id, customer_id, promised_date, currency, amount_minor, status, source, note, "
      "created_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindInt64(2, customer_id);
  (*insert)->BindText(3, promised_date.ToIso());
  (*insert)->BindText(4, code);
  (*insert)->BindInt64(5, money->minor_units());
  (*insert)->BindText(6, source);
  (*insert)->BindText(7, note);
  (*insert)->BindText(8, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto id = LastId(database, "promises", tenant_id);
  if (!id) return Fail(id.error());
  if (auto ok = Audit(database, tenant_id, audit, "promise", *id, "create", nullptr,
                      {{"customer_id", customer_id}, {"promised_date", promised_date.ToIso()}, {"currency", code},
                       {"amount_minor", money->minor_units()}, {"source", source}, {"status", "open"}});
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = EmitAt(database, tenant_id, "promise.created",
                       {{"promise",
                         {{"id", *id},
                          {"customer_external_id", customer_external_id},
                          {"promised_date", promised_date.ToIso()},
                          {"amount", MoneyJson(money->minor_units(), code)},
                          {"source", source},
                          {"status", "open"}}}},
                       audit);
      !ok) {
    return Fail(ok.error());
  }
  return *id;
}

}  // namespace

Result<int64_t> AddPromise(Database& database, int64_t tenant_id, const std::string& customer_external_id,
                           Date promised_date, const std::string& amount, std::optional<std::string> currency,
                           const std::string& source, const std::string& note, const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto id = InsertPromise(database, tenant_id, customer_external_id, promised_date, amount, std::move(currency), source,
                          note, audit);
  if (!id) return Fail(id.error());
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *id;
}

Status CancelPromise(Database& database, int64_t tenant_id, int64_t promise_id, const AuditContext& audit) {
  return ChangeStatus(database, tenant_id, "promises", "promise", promise_id, "open", "cancelled", "", "", audit);
}

namespace {

Result<std::vector<PromiseRecord>> QueryPromises(Database& database, int64_t tenant_id,
                                                 std::optional<std::string> customer_external_id,
                                                 std::optional<std::string> status, std::optional<int64_t> id) {
  std::string sql =
      "SELECT p.id, c.external_id, p.promised_date, p.currency, p.amount_minor, p.status, p.source, COALESCE(p.note, ''), "
      "p.outcome, p.covered_minor FROM promises p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id WHERE p.tenant_id = ?";
  if (customer_external_id) sql += " AND c.external_id = ?";
  if (status) sql += " AND p.status = ?";
  if (id) sql += " AND p.id = ?";
  sql += " ORDER BY p.promised_date, p.id";
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (customer_external_id) (*query)->BindText(parameter++, *customer_external_id);
  if (status) (*query)->BindText(parameter++, *status);
  if (id) (*query)->BindInt64(parameter++, *id);
  std::vector<PromiseRecord> records;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    records.push_back({r.GetInt64(0), std::string(r.GetText(1)), *Date::ParseIso(r.GetText(2)), std::string(r.GetText(3)),
                       r.GetInt64(4), std::string(r.GetText(5)), std::string(r.GetText(6)), std::string(r.GetText(7)),
                       r.GetOptionalText(8), r.IsNull(9) ? std::nullopt : std::optional<int64_t>(r.GetInt64(9)), {}});
  }
  query->reset();
  if (auto ok = AttachPromisePayments(database, tenant_id, records); !ok) return Fail(ok.error());
  return records;
}

}  // namespace

Result<std::vector<PromiseRecord>> ListPromises(Database& database, int64_t tenant_id,
                                                std::optional<std::string> customer_external_id,
                                                std::optional<std::string> status, Language language) {
  if (customer_external_id) {
    auto known = CustomerIdByExternalId(database, tenant_id, *customer_external_id, language);
    if (!known) return Fail(known.error());
  }
  return QueryPromises(database, tenant_id, std::move(customer_external_id), std::move(status), std::nullopt);
}

Result<PromiseRecord> LoadPromise(Database& database, int64_t tenant_id, int64_t promise_id, Language language) {
  auto records = QueryPromises(database, tenant_id, std::nullopt, std::nullopt, promise_id);
  if (!records) return Fail(records.error());
  if (records->empty()) {
    return Fail(Error::NotFound(TrFormat(language, "no hay promesa con id {}", "no promise with id {}", promise_id)));
  }
  return records->front();
}

nlohmann::json PromiseJson(const PromiseRecord& record) {
  return {{"id", record.id},
          {"customer_external_id", record.customer_external_id},
          {"promised_date", record.promised_date.ToIso()},
          {"amount", MoneyJson(record.amount_minor, record.currency)},
          {"status", record.status},
          {"source", record.source},
          {"note", record.note},
          {"outcome", record.outcome ? nlohmann::json(*record.outcome) : nlohmann::json(nullptr)},
          {"covered", record.covered_minor ? MoneyJson(*record.covered_minor, record.currency) : nlohmann::json(nullptr)},
          {"payments", PromisePaymentsJson(record)}};
}

namespace {

// REQUIRES: inside the caller's transaction. The reason as a person typed
// it: a catalogue code ("wrong_amount", "wrong_amount: text") or free text
// (the code "other"); owner and deadline from the catalogue
// (collection/disputes.h).
Result<int64_t> InsertDispute(Database& database, int64_t tenant_id, int64_t invoice_id, int64_t customer_id,
                              std::string_view invoice_external_id, const std::string& reason, const AuditContext& audit) {
  auto [code, text] = SplitDisputeReason(reason);
  return InsertCatalogueDisputeIn(database, tenant_id, invoice_id, customer_id, std::string(invoice_external_id), code,
                                  text, audit);
}

// A call reached someone who is not the debtor: the number is not used
// again (phone and WhatsApp) until someone corrects it. Marks the phone the
// worklist showed: the primary usable one, else the first usable one.
// REQUIRES: inside the caller's transaction.
Status MarkCalledNumberWrong(Database& database, int64_t tenant_id, int64_t customer_id, int64_t task_id,
                             const AuditContext& audit) {
  auto phone = database.Prepare(
      "SELECT value FROM contact_points WHERE tenant_id = ? AND customer_id = ? AND channel = 'phone' AND usable = 1 "
      "ORDER BY is_primary DESC, id LIMIT 1");
  if (!phone) return Fail(phone.error());
  (*phone)->BindInt64(1, tenant_id);
  (*phone)->BindInt64(2, customer_id);
  auto row = (*phone)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return {};  // no usable phone left: nothing to mark
  const std::string number((*phone)->GetText(0));
  phone->reset();
  auto update = database.Prepare(
      "UPDATE contact_points SET usable = 0 WHERE tenant_id = ? AND customer_id = ? AND channel IN ('phone', "
      "'whatsapp') AND value = ? AND usable = 1");
  if (!update) return Fail(update.error());
  (*update)->BindInt64(1, tenant_id);
  (*update)->BindInt64(2, customer_id);
  (*update)->BindText(3, number);
  if (auto ok = (*update)->Run(); !ok) return ok;
  return Audit(database, tenant_id, audit, "contact_point", customer_id, "update", {{"usable", 1}},
               {{"channel", "phone"}, {"value", number}, {"usable", 0}, {"reason", fmt::format("wrong_number (task {})", task_id)}});
}

}  // namespace

Result<int64_t> OpenDispute(Database& database, int64_t tenant_id, const std::string& invoice_external_id,
                            const std::string& reason, const AuditContext& audit) {
  if (reason.empty()) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "una disputa necesita un motivo", "a dispute needs a reason"))));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto invoice = database.Prepare("SELECT id, customer_id FROM invoices WHERE tenant_id = ? AND external_id = ?");
  if (!invoice) return Fail(invoice.error());
  (*invoice)->BindInt64(1, tenant_id);
  (*invoice)->BindText(2, invoice_external_id);
  auto row = (*invoice)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(audit.language, "no hay una factura con el id externo '{}'",
                                         "no invoice with external id '{}'", invoice_external_id)));
  }
  const int64_t invoice_id = (*invoice)->GetInt64(0), customer_id = (*invoice)->GetInt64(1);
  invoice->reset();
  auto id = InsertDispute(database, tenant_id, invoice_id, customer_id, invoice_external_id, reason, audit);
  if (!id) return Fail(id.error());
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *id;
}

Status ResolveDispute(Database& database, int64_t tenant_id, int64_t dispute_id, const std::string& resolution,
                      const AuditContext& audit) {
  if (resolution.empty()) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "diga cómo se resolvió la disputa (--resolution)",
                                               "say how the dispute was resolved (--resolution)"))));
  }
  return ChangeStatus(database, tenant_id, "disputes", "dispute", dispute_id, "open", "resolved", "resolution",
                      resolution, audit);
}

namespace {

Result<std::vector<DisputeRecord>> QueryDisputes(Database& database, int64_t tenant_id,
                                                 std::optional<std::string> status, std::optional<int64_t> id,
                                                 std::optional<std::string> customer_external_id = std::nullopt) {
  std::string sql =
      // The reason as it read before the catalogue: "code: text", or the text alone.
      "SELECT d.id, c.external_id, i.external_id, CASE WHEN d.reason = d.reason_code THEN "
      "d.reason ELSE d.reason_code || ': ' || d.reason END, d.status, COALESCE(d.resolution, ''), d.opened_at FROM disputes d "
      "JOIN customers c ON c.tenant_id = d.tenant_id AND c.id = d.customer_id JOIN invoices i ON "
      "i.tenant_id = d.tenant_id AND i.id = d.invoice_id WHERE d.tenant_id = ?";
  if (status) sql += " AND d.status = ?";
  if (id) sql += " AND d.id = ?";
  if (customer_external_id) sql += " AND c.external_id = ?";
  sql += " ORDER BY d.id";
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (status) (*query)->BindText(parameter++, *status);
  if (id) (*query)->BindInt64(parameter++, *id);
  if (customer_external_id) (*query)->BindText(parameter++, *customer_external_id);
  std::vector<DisputeRecord> records;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    records.push_back({r.GetInt64(0), std::string(r.GetText(1)), std::string(r.GetText(2)), std::string(r.GetText(3)),
                       std::string(r.GetText(4)), std::string(r.GetText(5)), std::string(r.GetText(6))});
  }
  return records;
}

}  // namespace

Result<std::vector<DisputeRecord>> ListDisputes(Database& database, int64_t tenant_id, std::optional<std::string> status,
                                                std::optional<std::string> customer_external_id, Language language) {
  if (customer_external_id) {
    auto known = CustomerIdByExternalId(database, tenant_id, *customer_external_id, language);
    if (!known) return Fail(known.error());
  }
  return QueryDisputes(database, tenant_id, std::move(status), std::nullopt, std::move(customer_external_id));
}

Result<DisputeRecord> LoadDispute(Database& database, int64_t tenant_id, int64_t dispute_id, Language language) {
  auto records = QueryDisputes(database, tenant_id, std::nullopt, dispute_id);
  if (!records) return Fail(records.error());
  if (records->empty()) {
    return Fail(Error::NotFound(TrFormat(language, "no hay disputa con id {}", "no dispute with id {}", dispute_id)));
  }
  return records->front();
}

nlohmann::json DisputeJson(const DisputeRecord& record) {
  return {{"id", record.id},
          {"customer_external_id", record.customer_external_id},
          {"invoice_external_id", record.invoice_external_id},
          {"reason", record.reason},
          {"status", record.status},
          {"resolution", record.resolution},
          {"opened_at", record.opened_at}};
}

Status RecordTaskOutcome(Database& database, int64_t tenant_id, int64_t task_id, const std::string& outcome,
                         std::optional<Date> promise_date, std::optional<std::string> promise_amount,
                         const AuditContext& audit, const std::string& dispute_reason) {
  static const std::vector<std::string> kOutcomes = {"contacted", "no_answer", "wrong_number", "promise", "refused", "dispute"};
  if (std::find(kOutcomes.begin(), kOutcomes.end(), outcome) == kOutcomes.end()) {
    return Fail(Error::BadInput(TrFormat(audit.language,
                                         "resultado '{}': use contacted, no_answer, wrong_number, promise, refused o dispute",
                                         "outcome '{}': use contacted, no_answer, wrong_number, promise, refused or dispute",
                                            outcome)));
  }
  if (outcome == "promise" && (!promise_date || !promise_amount)) {
    return Fail(Error::BadInput(
        std::string(Tr(audit.language, "una promesa necesita su fecha y su valor (promise_date, promise_amount)",
                       "a promise needs its date and its amount (promise_date, promise_amount)"))));
  }
  if (outcome == "dispute" && dispute_reason.empty()) {
    return Fail(Error::BadInput(
        std::string(Tr(audit.language, "una disputa necesita su motivo (reason: qué reclama el cliente)",
                       "a dispute needs its reason (what the customer disputes)"))));
  }
  // The outcome and the promise it brings are one change: both or neither.
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto task = database.Prepare(
      "SELECT o.status, c.external_id, c.id, o.payload FROM outbox o JOIN customers c ON c.tenant_id = o.tenant_id "
      "AND c.id = o.customer_id WHERE o.tenant_id = ? AND o.id = ? AND o.action = 'call_task'");
  if (!task) return Fail(task.error());
  (*task)->BindInt64(1, tenant_id);
  (*task)->BindInt64(2, task_id);
  auto row = (*task)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(audit.language, "no hay una tarea de llamada con id {}", "no call task with id {}", task_id)));
  }
  const std::string status((*task)->GetText(0)), customer((*task)->GetText(1));
  const int64_t customer_id = (*task)->GetInt64(2);
  const nlohmann::json payload =
      (*task)->IsNull(3) ? nlohmann::json::object() : nlohmann::json::parse((*task)->GetText(3), nullptr, false);
  task->reset();
  if (status != "open") {
    return Fail(Error::BadInput(TrFormat(audit.language, "la tarea {} ya está {}", "task {} is already {}", task_id, status)));
  }
  auto update = database.Prepare(
      "UPDATE outbox SET status = 'done', outcome = ?, outcome_at = ? WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, outcome);
  (*update)->BindText(2, audit.at);
  (*update)->BindInt64(3, tenant_id);
  (*update)->BindInt64(4, task_id);
  if (auto ok = (*update)->Run(); !ok) return ok;
  if (auto ok = Audit(database, tenant_id, audit, "task", task_id, "update", {{"status", "open"}},
                      {{"status", "done"}, {"outcome", outcome}});
      !ok) {
    return ok;
  }
  if (outcome == "promise") {
    auto promise = InsertPromise(database, tenant_id, customer, *promise_date, *promise_amount, std::nullopt,
                                 fmt::format("task {}", task_id), "", audit);
    if (!promise) return Fail(promise.error());
  }
  if (outcome == "wrong_number") {
    if (auto ok = MarkCalledNumberWrong(database, tenant_id, customer_id, task_id, audit); !ok) return ok;
  }
  if (outcome == "dispute") {
    // The debtor disputes what the call was about: every invoice the task
    // named that is still open and not already disputed.
    int64_t opened = 0;
    if (payload.is_object() && payload.contains("invoice_ids") && payload["invoice_ids"].is_array()) {
      for (const nlohmann::json& value : payload["invoice_ids"]) {
        if (!value.is_number_integer()) continue;
        auto invoice = database.Prepare(
            "SELECT i.external_id FROM invoices i WHERE i.tenant_id = ? AND i.id = ? AND i.customer_id = ? AND "
            "i.open_minor > 0 AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.tenant_id = i.tenant_id AND "
            "d.invoice_id = i.id AND d.status = 'open')");
        if (!invoice) return Fail(invoice.error());
        (*invoice)->BindInt64(1, tenant_id);
        (*invoice)->BindInt64(2, value.get<int64_t>());
        (*invoice)->BindInt64(3, customer_id);
        auto found = (*invoice)->Step();
        if (!found) return Fail(found.error());
        if (!*found) continue;
        const std::string external_id((*invoice)->GetText(0));
        invoice->reset();
        auto id = InsertDispute(database, tenant_id, value.get<int64_t>(), customer_id, external_id,
                                fmt::format("{} (task {})", dispute_reason, task_id), audit);
        if (!id) return Fail(id.error());
        ++opened;
      }
    }
    if (opened == 0) {
      return Fail(Error::BadInput(TrFormat(
          audit.language,
          "la tarea {} no nombra ninguna factura abierta sin disputa: abra la disputa sobre la factura misma",
          "task {} names no open, undisputed invoice: open the dispute on the invoice itself",
          task_id)));
    }
  }
  return transaction->Commit();
}

Status AssignTask(Database& database, int64_t tenant_id, int64_t task_id, const std::string& collector,
                  const AuditContext& audit) {
  if (collector.empty()) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "indique el gestor", "name the collector"))));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto current = database.Prepare(
      "SELECT COALESCE(assignee, '') FROM outbox WHERE tenant_id = ? AND id = ? AND action = 'call_task'");
  if (!current) return Fail(current.error());
  (*current)->BindInt64(1, tenant_id);
  (*current)->BindInt64(2, task_id);
  auto row = (*current)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(audit.language, "no hay una tarea de llamada con id {}", "no call task with id {}", task_id)));
  }
  const std::string before((*current)->GetText(0));
  current->reset();
  auto update = database.Prepare("UPDATE outbox SET assignee = ? WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, collector);
  (*update)->BindInt64(2, tenant_id);
  (*update)->BindInt64(3, task_id);
  if (auto ok = (*update)->Run(); !ok) return ok;
  if (auto ok = Audit(database, tenant_id, audit, "task", task_id, "update", {{"assignee", before}},
                      {{"assignee", collector}});
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

}  // namespace cartera
