// Payment plans: propose, accept, cancel, read. See payment_plans.h.
#include "agreements/payment_plans.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "access/secrets.h"
#include "agreements/plan_terms.h"
#include "compliance/rate_table.h"
#include "core/time_zone.h"
#include "store/sql_dialect.h"
#include "webhooks/webhook_events.h"

namespace cartera {
namespace {

struct CustomerRow {
  int64_t id = 0;
  std::string external_id, name, time_zone, currency, country;
};

Result<CustomerRow> LoadCustomer(Database& database, int64_t tenant_id, int64_t customer_id, Language language) {
  auto query = database.Prepare(
      "SELECT c.id, c.external_id, c.name, c.time_zone, COALESCE(c.currency, (SELECT MIN(i.currency) FROM invoices i "
      "WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id AND i.open_minor > 0)), c.country FROM customers c "
      "WHERE c.tenant_id = ? AND c.id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, customer_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(
        TrFormat(language, "customer_id: no hay un cliente con id {}", "customer_id: no customer with id {}", customer_id)));
  }
  const Statement& r = **query;
  CustomerRow customer;
  customer.id = r.GetInt64(0);
  customer.external_id = r.GetText(1);
  customer.name = r.GetText(2);
  customer.time_zone = r.IsNull(3) ? "UTC" : std::string(r.GetText(3));
  if (!IsKnownTimeZone(customer.time_zone)) customer.time_zone = "UTC";
  customer.currency = r.IsNull(4) ? "" : std::string(r.GetText(4));
  customer.country = r.IsNull(5) ? "" : std::string(r.GetText(5));
  return customer;
}

struct InvoiceRow {
  int64_t id = 0;
  std::string external_id, number, currency;
  Date due_date;
  int64_t open_minor = 0;
  bool disputed = false;
  int64_t active_plan = 0;  // another active plan covering it, 0 if none
};

constexpr std::string_view kInvoiceColumns =
    "SELECT i.id, i.external_id, i.number, i.due_date, i.currency, i.open_minor, "
    "(SELECT COUNT(*) FROM disputes d WHERE d.tenant_id = i.tenant_id AND d.invoice_id = i.id AND d.status = 'open'), "
    "(SELECT MIN(pi.plan_id) FROM plan_invoices pi WHERE pi.tenant_id = i.tenant_id AND pi.invoice_id = i.id AND "
    "pi.active = 1) FROM invoices i ";

Result<InvoiceRow> ReadInvoice(const Statement& r) {
  InvoiceRow invoice;
  invoice.id = r.GetInt64(0);
  invoice.external_id = r.GetText(1);
  invoice.number = r.GetText(2);
  auto due = Date::ParseIso(r.GetText(3));
  if (!due) return Fail(due.error());
  invoice.due_date = *due;
  invoice.currency = r.GetText(4);
  invoice.open_minor = r.GetInt64(5);
  invoice.disputed = r.GetInt64(6) > 0;
  invoice.active_plan = r.IsNull(7) ? 0 : r.GetInt64(7);
  return invoice;
}

Result<std::vector<InvoiceRow>> LoadInvoices(Database& database, int64_t tenant_id, int64_t customer_id,
                                             const PlanProposal& proposal, const std::string& currency,
                                             Language language) {
  std::vector<InvoiceRow> invoices;
  if (proposal.invoice_ids.empty()) {
    auto query = database.Prepare(std::string(kInvoiceColumns) +
                                  "WHERE i.tenant_id = ? AND i.customer_id = ? AND i.currency = ? AND i.open_minor > 0 "
                                  "ORDER BY i.due_date, i.id");
    if (!query) return Fail(query.error());
    (*query)->BindInt64(1, tenant_id);
    (*query)->BindInt64(2, customer_id);
    (*query)->BindText(3, currency);
    while (true) {
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      auto invoice = ReadInvoice(**query);
      if (!invoice) return Fail(invoice.error());
      if (invoice->disputed) continue;  // every open, undisputed invoice
      invoices.push_back(std::move(*invoice));
    }
    if (invoices.empty()) {
      return Fail(Error::BadInput(TrFormat(language, "invoice_ids: el cliente no tiene facturas abiertas sin disputa en {}",
                                           "invoice_ids: the customer has no open, undisputed invoices in {}",
                                           currency)));
    }
  } else {
    auto query = database.Prepare(std::string(kInvoiceColumns) +
                                  "WHERE i.tenant_id = ? AND i.customer_id = ? AND i.id = ?");
    if (!query) return Fail(query.error());
    std::set<int64_t> seen;
    for (size_t k = 0; k < proposal.invoice_ids.size(); ++k) {
      const int64_t id = proposal.invoice_ids[k];
      if (!seen.insert(id).second) {
        return Fail(Error::BadInput(TrFormat(language, "invoice_ids/{}: la factura {} está repetida",
                                             "invoice_ids/{}: invoice {} is listed twice", k, id)));
      }
      (*query)->Reset();
      (*query)->BindInt64(1, tenant_id);
      (*query)->BindInt64(2, customer_id);
      (*query)->BindInt64(3, id);
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) {
        return Fail(Error::BadInput(TrFormat(language, "invoice_ids/{}: el cliente no tiene una factura con id {}",
                                             "invoice_ids/{}: the customer has no invoice with id {}", k, id)));
      }
      auto invoice = ReadInvoice(**query);
      if (!invoice) return Fail(invoice.error());
      if (invoice->currency != currency) {
        return Fail(Error::BadInput(TrFormat(language, "invoice_ids/{}: la factura {} es en {}, el acuerdo en {}",
                                             "invoice_ids/{}: invoice {} is in {}, the plan in {}", k,
                                             invoice->number, invoice->currency, currency)));
      }
      if (invoice->open_minor <= 0) {
        return Fail(Error::BadInput(TrFormat(language, "invoice_ids/{}: la factura {} ya está pagada",
                                             "invoice_ids/{}: invoice {} is already paid", k, invoice->number)));
      }
      if (invoice->disputed) {
        return Fail(Error::BadInput(TrFormat(language, "invoice_ids/{}: la factura {} tiene una disputa abierta",
                                             "invoice_ids/{}: invoice {} has an open dispute", k, invoice->number)));
      }
      invoices.push_back(std::move(*invoice));
    }
  }
  for (const InvoiceRow& invoice : invoices) {
    if (invoice.active_plan != 0) {
      return Fail(Error::Conflict(TrFormat(language, "la factura {} ya está en el acuerdo de pago activo {}",
                                           "invoice {} is already in active payment plan {}", invoice.number,
                                           invoice.active_plan)));
    }
  }
  return invoices;
}

// Colombia's usury rate (effective annual) in force on `day`: the tenant's
// charge_rates row if it has one, else the shipped table
// (compliance/rate_table.h). nullopt for other countries or a month with no
// row: the caller must then give the cap.
Result<std::optional<compliance::Rate>> UsuryCap(Database& database, int64_t tenant_id, std::string_view country,
                                                 Date day) {
  if (country != "CO") return std::optional<compliance::Rate>();
  auto query = database.Prepare(
      "SELECT rate_micro_percent FROM charge_rates WHERE tenant_id = ? AND country = 'CO' AND kind = 'usury' AND "
      "valid_from <= ? AND valid_to >= ? ORDER BY valid_from DESC, id DESC LIMIT 1");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, day.ToIso());
  (*query)->BindText(3, day.ToIso());
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (*row) return std::optional(compliance::Rate::FromMicroPercent((*query)->GetInt64(0)));
  const compliance::RateTable shipped = compliance::RateTable::Shipped();
  if (const compliance::RateRow* usury = shipped.Find("CO", compliance::RateKind::kUsury, day)) {
    return std::optional(usury->rate);
  }
  return std::optional<compliance::Rate>();
}

Date TodayOf(const std::string& time_zone, std::string_view at) {
  auto now = ParseUtc(at);
  if (!now) return Date();
  return DateIn(time_zone, *now);
}

Result<PlanRecord> BuildPlan(Database& database, int64_t tenant_id, const PlanProposal& proposal, Date today,
                             Language language) {
  auto customer = LoadCustomer(database, tenant_id, proposal.customer_id, language);
  if (!customer) return Fail(customer.error());
  if (proposal.source != "user" && proposal.source != "portal") {
    return Fail(Error::BadInput(TrFormat(language, "source: '{}' no es user ni portal",
                                         "source: '{}' is neither user nor portal", proposal.source)));
  }
  const std::string code = proposal.currency.empty() ? customer->currency : proposal.currency;
  if (code.empty()) {
    return Fail(Error::BadInput(std::string(Tr(language, "currency: el cliente no debe nada; indique la moneda",
                                               "currency: the customer owes nothing; give the currency"))));
  }
  auto currency = Currency::FromCode(code);
  if (!currency) {
    return Fail(Error::BadInput(TrFormat(language, "currency: '{}' no es un código ISO 4217",
                                         "currency: '{}' is not an ISO 4217 code", code)));
  }
  if (proposal.first_date < today) {
    return Fail(Error::BadInput(TrFormat(language, "first_date: {} ya pasó (hoy es {})",
                                         "first_date: {} is in the past (today is {})", proposal.first_date.ToIso(),
                                         today.ToIso())));
  }
  if (proposal.down_payment_minor < 0) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "down_payment: no puede ser negativo", "down_payment: must not be negative"))));
  }
  auto invoices = LoadInvoices(database, tenant_id, customer->id, proposal, code, language);
  if (!invoices) return Fail(invoices.error());
  PlanRecord plan;
  plan.customer_id = customer->id;
  plan.customer_external_id = customer->external_id;
  plan.customer_name = customer->name;
  plan.status = std::string(kPlanProposed);
  plan.currency = code;
  plan.frequency = proposal.frequency;
  plan.installment_count = proposal.installments;
  plan.proposed_on = today;
  plan.first_date = proposal.first_date;
  plan.missed_to_break = proposal.missed_to_break;
  plan.source = proposal.source;
  for (const InvoiceRow& invoice : *invoices) {
    auto sum = CheckedAdd(plan.balance_minor, invoice.open_minor);
    if (!sum) return Fail(sum.error());
    plan.balance_minor = *sum;
    plan.invoices.push_back({invoice.id, invoice.external_id, invoice.number, invoice.due_date, invoice.open_minor});
  }
  if (proposal.down_payment_minor >= plan.balance_minor) {
    return Fail(Error::BadInput(TrFormat(
        language, "down_payment: debe ser menor que el saldo del acuerdo ({}); no quedaría nada en cuotas",
        "down_payment: must be less than the plan's balance ({}); nothing would be left for installments",
        FormatMinorUnits(plan.balance_minor, currency->exponent()))));
  }
  plan.down_payment_minor = proposal.down_payment_minor;
  plan.financed_minor = plan.balance_minor - plan.down_payment_minor;
  PlanProposal checked = proposal;
  if (checked.annual_interest && checked.annual_interest->micro_percent() > 0 && !checked.interest_cap) {
    auto cap = UsuryCap(database, tenant_id, customer->country, today);
    if (!cap) return Fail(cap.error());
    checked.interest_cap = *cap;
  }
  auto schedule = PlanSchedule(checked, Money(plan.financed_minor, *currency), language);
  if (!schedule) return Fail(schedule.error());
  plan.installments = std::move(*schedule);
  int64_t total = plan.down_payment_minor;
  for (const Installment& installment : plan.installments) {
    auto sum = CheckedAdd(plan.interest_minor, installment.interest_minor);
    auto all = CheckedAdd(total, installment.amount_minor);
    if (!sum || !all) return Fail(Error{ErrorCode::kOverflow, "total: overflows"});
    plan.interest_minor = *sum;
    total = *all;
  }
  plan.total_minor = total;
  if (proposal.annual_interest && proposal.annual_interest->micro_percent() > 0) {
    plan.annual_interest = proposal.annual_interest;
  }
  return plan;
}

nlohmann::json AuditJson(const PlanRecord& plan) {
  nlohmann::json json = {{"status", plan.status},
                         {"customer_id", plan.customer_id},
                         {"currency", plan.currency},
                         {"installments", plan.installment_count},
                         {"balance_minor", plan.balance_minor},
                         {"down_payment_minor", plan.down_payment_minor},
                         {"interest_minor", plan.interest_minor},
                         {"total_minor", plan.total_minor}};
  return json;
}

Status EmitPlanEvent(Database& database, int64_t tenant_id, std::string_view type, const PlanRecord& plan,
                     std::string_view at) {
  auto when = ParseUtc(at);
  if (!when) return Fail(Error::Internal(fmt::format("the audit time '{}' is not a UTC timestamp", at)));
  auto emitted = webhooks::EmitEvent(database, tenant_id, type,
                                     {{"payment_plan",
                                       {{"id", plan.id},
                                        {"customer_external_id", plan.customer_external_id},
                                        {"status", plan.status}}}},
                                     *when);
  if (!emitted) return Fail(emitted.error());
  return {};
}

}  // namespace

Result<PlanRecord> PreviewPlan(Database& database, int64_t tenant_id, const PlanProposal& proposal, Date today,
                               Language language) {
  return BuildPlan(database, tenant_id, proposal, today, language);
}

Result<PlanRecord> ProposePlan(Database& database, int64_t tenant_id, const PlanProposal& proposal, Date today,
                               const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto ok = LockTenantLedger(database, tenant_id); !ok) return Fail(ok.error());
  auto plan = BuildPlan(database, tenant_id, proposal, today, audit.language);
  if (!plan) return Fail(plan.error());
  auto insert = database.Prepare(
      "INSERT INTO payment_plans (tenant_id, customer_id, status, currency, frequency, installment_count, proposed_on, "
      "first_date, balance_minor, down_payment_minor, interest_minor, financed_minor, total_minor, annual_rate_micro, "
      "missed_to_break, source, created_by, created_at, updated_at) "
      "VALUES (?, ?, 'proposed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  Statement& s = **insert;
  int p = 1;
  s.BindInt64(p++, tenant_id);
  s.BindInt64(p++, plan->customer_id);
  s.BindText(p++, plan->currency);
  s.BindText(p++, PlanFrequencyCode(plan->frequency));
  s.BindInt64(p++, plan->installment_count);
  s.BindText(p++, plan->proposed_on.ToIso());
  s.BindText(p++, plan->first_date.ToIso());
  s.BindInt64(p++, plan->balance_minor);
  s.BindInt64(p++, plan->down_payment_minor);
  s.BindInt64(p++, plan->interest_minor);
  s.BindInt64(p++, plan->financed_minor);
  s.BindInt64(p++, plan->total_minor);
  if (plan->annual_interest) {
    s.BindInt64(p++, plan->annual_interest->micro_percent());
  } else {
    s.BindNull(p++);
  }
  s.BindInt64(p++, plan->missed_to_break);
  s.BindText(p++, plan->source);
  s.BindText(p++, audit.actor);
  s.BindText(p++, audit.at);
  s.BindText(p++, audit.at);
  if (auto ok = s.Run(); !ok) return Fail(ok.error());
  insert->reset();
  auto id = database.QueryInt64(fmt::format("SELECT MAX(id) FROM payment_plans WHERE tenant_id = {}", tenant_id));
  if (!id) return Fail(id.error());
  plan->id = id->value_or(0);
  plan->created_by = audit.actor;
  plan->created_at = audit.at;
  {
    auto covered = database.Prepare(
        "INSERT INTO plan_invoices (tenant_id, plan_id, invoice_id, customer_id, open_minor, active) "
        "VALUES (?, ?, ?, ?, ?, 0)");
    if (!covered) return Fail(covered.error());
    for (const PlanInvoice& invoice : plan->invoices) {
      (*covered)->Reset();
      (*covered)->BindInt64(1, tenant_id);
      (*covered)->BindInt64(2, plan->id);
      (*covered)->BindInt64(3, invoice.invoice_id);
      (*covered)->BindInt64(4, plan->customer_id);
      (*covered)->BindInt64(5, invoice.open_minor_at_proposal);
      if (auto ok = (*covered)->Run(); !ok) return Fail(ok.error());
    }
  }
  {
    auto installment = database.Prepare(
        "INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, amount_minor, interest_minor, "
        "paid_minor, status) VALUES (?, ?, ?, ?, ?, ?, 0, 'pending')");
    if (!installment) return Fail(installment.error());
    for (const Installment& each : plan->installments) {
      (*installment)->Reset();
      (*installment)->BindInt64(1, tenant_id);
      (*installment)->BindInt64(2, plan->id);
      (*installment)->BindInt64(3, each.number);
      (*installment)->BindText(4, each.due_date.ToIso());
      (*installment)->BindInt64(5, each.amount_minor);
      (*installment)->BindInt64(6, each.interest_minor);
      if (auto ok = (*installment)->Run(); !ok) return Fail(ok.error());
    }
  }
  if (auto ok = WriteAudit(database, tenant_id, audit, "payment_plan", plan->id, "create", "", AuditJson(*plan).dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return plan;
}

Result<PlanRecord> AcceptPlan(Database& database, int64_t tenant_id, const PlanAcceptance& acceptance,
                              const AuditContext& audit) {
  const Language language = audit.language;
  static constexpr std::array<std::string_view, 4> kChannels = {"portal", "phone", "email", "in_person"};
  if (std::find(kChannels.begin(), kChannels.end(), acceptance.channel) == kChannels.end()) {
    return Fail(Error::BadInput(TrFormat(language, "channel: '{}' no es portal, phone, email ni in_person",
                                         "channel: '{}' is not portal, phone, email or in_person",
                                         acceptance.channel)));
  }
  if (acceptance.accepted_by.empty()) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "accepted_by: indique quién acepta", "accepted_by: say who accepts"))));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto ok = LockTenantLedger(database, tenant_id); !ok) return Fail(ok.error());
  auto plan = GetPlan(database, tenant_id, acceptance.plan_id, language);
  if (!plan) return Fail(plan.error());
  if (plan->status != kPlanProposed) {
    return Fail(Error::Conflict(TrFormat(language, "el acuerdo de pago {} está {}, no propuesto",
                                         "payment plan {} is {}, not proposed", plan->id, plan->status)));
  }
  // The books must still be as the terms say: every invoice open for the
  // amount proposed, undisputed and in no other active plan.
  {
    auto query = database.Prepare(std::string(kInvoiceColumns) + "WHERE i.tenant_id = ? AND i.id = ?");
    if (!query) return Fail(query.error());
    for (const PlanInvoice& covered : plan->invoices) {
      (*query)->Reset();
      (*query)->BindInt64(1, tenant_id);
      (*query)->BindInt64(2, covered.invoice_id);
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) return Fail(Error::Internal(fmt::format("invoice {} of plan {} is gone", covered.invoice_id, plan->id)));
      auto invoice = ReadInvoice(**query);
      if (!invoice) return Fail(invoice.error());
      if (invoice->active_plan != 0) {
        return Fail(Error::Conflict(TrFormat(language, "la factura {} ya está en el acuerdo de pago activo {}",
                                             "invoice {} is already in active payment plan {}", invoice->number,
                                             invoice->active_plan)));
      }
      if (invoice->disputed) {
        return Fail(Error::Conflict(TrFormat(language, "la factura {} tiene ahora una disputa abierta; proponga de nuevo",
                                             "invoice {} now has an open dispute; propose again", invoice->number)));
      }
      if (invoice->open_minor != covered.open_minor_at_proposal) {
        return Fail(Error::Conflict(TrFormat(
            language, "el saldo de la factura {} cambió desde la propuesta; proponga de nuevo",
            "the balance of invoice {} changed since the proposal; propose again", invoice->number)));
      }
    }
  }
  auto customer = LoadCustomer(database, tenant_id, plan->customer_id, language);
  if (!customer) return Fail(customer.error());
  const Date accepted_on = acceptance.accepted_on ? *acceptance.accepted_on : TodayOf(customer->time_zone, audit.at);
  if (accepted_on < plan->proposed_on) {
    return Fail(Error::BadInput(TrFormat(language, "accepted_on: {} es anterior a la propuesta ({})",
                                         "accepted_on: {} is before the proposal ({})", accepted_on.ToIso(),
                                         plan->proposed_on.ToIso())));
  }
  if (accepted_on > plan->first_date) {
    return Fail(Error::Conflict(TrFormat(
        language, "la primera cuota ({}) ya pasó; proponga de nuevo", "the first installment ({}) has passed; propose again",
        plan->first_date.ToIso())));
  }
  // The hash of the very terms the debtor accepted: the PDF is a function of
  // the plan's terms only, so the same bytes can be produced again later.
  auto pdf = RenderPlanTerms(database, tenant_id, *plan);
  if (!pdf) return Fail(pdf.error());
  const std::string hash = access::Sha256Hex(*pdf);

  auto update = database.Prepare(
      "UPDATE payment_plans SET status = 'active', accepted_on = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND "
      "status = 'proposed'");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, accepted_on.ToIso());
  (*update)->BindText(2, audit.at);
  (*update)->BindInt64(3, tenant_id);
  (*update)->BindInt64(4, plan->id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  update->reset();
  auto hold = database.Prepare("UPDATE plan_invoices SET active = 1 WHERE tenant_id = ? AND plan_id = ?");
  if (!hold) return Fail(hold.error());
  (*hold)->BindInt64(1, tenant_id);
  (*hold)->BindInt64(2, plan->id);
  if (auto ok = (*hold)->Run(); !ok) return Fail(ok.error());
  hold->reset();
  auto record = database.Prepare(
      "INSERT INTO plan_acceptances (tenant_id, plan_id, accepted_by, channel, accepted_at, accepted_on, ip, "
      "user_agent, terms_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!record) return Fail(record.error());
  (*record)->BindInt64(1, tenant_id);
  (*record)->BindInt64(2, plan->id);
  (*record)->BindText(3, acceptance.accepted_by);
  (*record)->BindText(4, acceptance.channel);
  (*record)->BindText(5, audit.at);
  (*record)->BindText(6, accepted_on.ToIso());
  if (acceptance.ip.empty()) (*record)->BindNull(7); else (*record)->BindText(7, acceptance.ip);
  if (acceptance.user_agent.empty()) (*record)->BindNull(8); else (*record)->BindText(8, acceptance.user_agent);
  (*record)->BindText(9, hash);
  if (auto ok = (*record)->Run(); !ok) return Fail(ok.error());
  record->reset();
  const nlohmann::json before = {{"status", plan->status}};
  plan->status = std::string(kPlanActive);
  plan->accepted_on = accepted_on;
  plan->acceptance = PlanAcceptanceRecord{acceptance.accepted_by, acceptance.channel, audit.at, acceptance.ip,
                                          acceptance.user_agent, hash};
  nlohmann::json after = {{"status", plan->status},
                          {"accepted_by", acceptance.accepted_by},
                          {"channel", acceptance.channel},
                          {"accepted_on", accepted_on.ToIso()},
                          {"terms_sha256", hash}};
  if (!acceptance.ip.empty()) after["ip"] = acceptance.ip;
  if (auto ok = WriteAudit(database, tenant_id, audit, "payment_plan", plan->id, "update", before.dump(), after.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = EmitPlanEvent(database, tenant_id, "plan.accepted", *plan, audit.at); !ok) return Fail(ok.error());
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return plan;
}

Result<PlanRecord> CancelPlan(Database& database, int64_t tenant_id, int64_t plan_id, std::string_view reason,
                              const AuditContext& audit) {
  const Language language = audit.language;
  if (reason.empty()) {
    return Fail(Error::BadInput(std::string(Tr(language, "reason: indique el motivo", "reason: give the reason"))));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto ok = LockTenantLedger(database, tenant_id); !ok) return Fail(ok.error());
  auto plan = GetPlan(database, tenant_id, plan_id, language);
  if (!plan) return Fail(plan.error());
  if (plan->status != kPlanProposed && plan->status != kPlanActive) {
    return Fail(Error::Conflict(TrFormat(language, "el acuerdo de pago {} está {}: solo uno propuesto o activo se cancela",
                                         "payment plan {} is {}: only a proposed or active one can be cancelled",
                                         plan->id, plan->status)));
  }
  auto customer = LoadCustomer(database, tenant_id, plan->customer_id, language);
  if (!customer) return Fail(customer.error());
  const Date today = TodayOf(customer->time_zone, audit.at);
  auto update = database.Prepare(
      "UPDATE payment_plans SET status = 'cancelled', ended_on = ?, cancel_reason = ?, updated_at = ? "
      "WHERE tenant_id = ? AND id = ?");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, today.ToIso());
  (*update)->BindText(2, reason);
  (*update)->BindText(3, audit.at);
  (*update)->BindInt64(4, tenant_id);
  (*update)->BindInt64(5, plan->id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  update->reset();
  auto release = database.Prepare("UPDATE plan_invoices SET active = 0 WHERE tenant_id = ? AND plan_id = ?");
  if (!release) return Fail(release.error());
  (*release)->BindInt64(1, tenant_id);
  (*release)->BindInt64(2, plan->id);
  if (auto ok = (*release)->Run(); !ok) return Fail(ok.error());
  release->reset();
  const nlohmann::json before = {{"status", plan->status}};
  plan->status = std::string(kPlanCancelled);
  plan->ended_on = today;
  plan->cancel_reason = std::string(reason);
  const nlohmann::json after = {{"status", plan->status}, {"reason", reason}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "payment_plan", plan->id, "update", before.dump(), after.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return plan;
}

namespace {

constexpr std::string_view kPlanSelect =
    "SELECT p.id, p.customer_id, c.external_id, c.name, p.status, p.currency, p.frequency, p.installment_count, "
    "p.proposed_on, p.first_date, p.balance_minor, p.down_payment_minor, p.interest_minor, p.financed_minor, "
    "p.total_minor, p.paid_minor, p.annual_rate_micro, p.missed_to_break, p.missed_count, p.source, p.created_by, "
    "p.created_at, p.accepted_on, p.ended_on, p.cancel_reason, a.accepted_by, a.channel, a.accepted_at, a.ip, "
    "a.user_agent, a.terms_sha256 FROM payment_plans p JOIN customers c ON c.tenant_id = p.tenant_id AND "
    "c.id = p.customer_id LEFT JOIN plan_acceptances a ON a.tenant_id = p.tenant_id AND a.plan_id = p.id ";

Result<Date> DateColumn(const Statement& r, int column) { return Date::ParseIso(r.GetText(column)); }

Result<PlanRecord> ReadPlan(const Statement& r) {
  PlanRecord plan;
  plan.id = r.GetInt64(0);
  plan.customer_id = r.GetInt64(1);
  plan.customer_external_id = r.GetText(2);
  plan.customer_name = r.GetText(3);
  plan.status = r.GetText(4);
  plan.currency = r.GetText(5);
  plan.frequency = ParsePlanFrequency(r.GetText(6)).value_or(PlanFrequency::kMonthly);
  plan.installment_count = static_cast<int32_t>(r.GetInt64(7));
  auto proposed = DateColumn(r, 8);
  auto first = DateColumn(r, 9);
  if (!proposed || !first) return Fail(Error::Internal(fmt::format("plan {} has a malformed date", plan.id)));
  plan.proposed_on = *proposed;
  plan.first_date = *first;
  plan.balance_minor = r.GetInt64(10);
  plan.down_payment_minor = r.GetInt64(11);
  plan.interest_minor = r.GetInt64(12);
  plan.financed_minor = r.GetInt64(13);
  plan.total_minor = r.GetInt64(14);
  plan.paid_minor = r.GetInt64(15);
  if (!r.IsNull(16)) plan.annual_interest = compliance::Rate::FromMicroPercent(r.GetInt64(16));
  plan.missed_to_break = static_cast<int32_t>(r.GetInt64(17));
  plan.missed_count = static_cast<int32_t>(r.GetInt64(18));
  plan.source = r.GetText(19);
  plan.created_by = r.GetText(20);
  plan.created_at = r.GetText(21);
  if (!r.IsNull(22)) {
    auto accepted = DateColumn(r, 22);
    if (!accepted) return Fail(accepted.error());
    plan.accepted_on = *accepted;
  }
  if (!r.IsNull(23)) {
    auto ended = DateColumn(r, 23);
    if (!ended) return Fail(ended.error());
    plan.ended_on = *ended;
  }
  plan.cancel_reason = r.IsNull(24) ? "" : std::string(r.GetText(24));
  if (!r.IsNull(25)) {
    plan.acceptance = PlanAcceptanceRecord{std::string(r.GetText(25)), std::string(r.GetText(26)),
                                           std::string(r.GetText(27)), r.IsNull(28) ? "" : std::string(r.GetText(28)),
                                           r.IsNull(29) ? "" : std::string(r.GetText(29)), std::string(r.GetText(30))};
  }
  return plan;
}

// Fills the invoices and installments of `plans` with two queries over
// their ids (integers written into the SQL: at most a page of plans).
Status LoadDetails(Database& database, int64_t tenant_id, std::vector<PlanRecord>& plans) {
  if (plans.empty()) return {};
  std::map<int64_t, PlanRecord*> by_id;
  std::string ids;
  for (PlanRecord& plan : plans) {
    by_id[plan.id] = &plan;
    if (!ids.empty()) ids += ',';
    ids += std::to_string(plan.id);
  }
  {
    auto query = database.Prepare(
        "SELECT pi.plan_id, pi.invoice_id, i.external_id, i.number, i.due_date, pi.open_minor FROM plan_invoices pi "
        "JOIN invoices i ON i.tenant_id = pi.tenant_id AND i.id = pi.invoice_id WHERE pi.tenant_id = ? AND "
        "pi.plan_id IN (" + ids + ") ORDER BY pi.plan_id, i.due_date, i.id");
    if (!query) return Fail(query.error());
    (*query)->BindInt64(1, tenant_id);
    while (true) {
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      const Statement& r = **query;
      auto plan = by_id.find(r.GetInt64(0));
      if (plan == by_id.end()) continue;
      auto due = Date::ParseIso(r.GetText(4));
      if (!due) return Fail(due.error());
      plan->second->invoices.push_back(
          {r.GetInt64(1), std::string(r.GetText(2)), std::string(r.GetText(3)), *due, r.GetInt64(5)});
    }
  }
  {
    auto query = database.Prepare(
        "SELECT plan_id, number, due_date, amount_minor, interest_minor, paid_minor, status FROM plan_installments "
        "WHERE tenant_id = ? AND plan_id IN (" + ids + ") ORDER BY plan_id, number");
    if (!query) return Fail(query.error());
    (*query)->BindInt64(1, tenant_id);
    while (true) {
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      const Statement& r = **query;
      auto plan = by_id.find(r.GetInt64(0));
      if (plan == by_id.end()) continue;
      auto due = Date::ParseIso(r.GetText(2));
      if (!due) return Fail(due.error());
      Installment installment;
      installment.number = static_cast<int32_t>(r.GetInt64(1));
      installment.due_date = *due;
      installment.amount_minor = r.GetInt64(3);
      installment.interest_minor = r.GetInt64(4);
      installment.paid_minor = r.GetInt64(5);
      installment.status = r.GetText(6);
      plan->second->installments.push_back(std::move(installment));
    }
  }
  return {};
}

}  // namespace

Result<PlanRecord> GetPlan(Database& database, int64_t tenant_id, int64_t plan_id, Language language) {
  auto query = database.Prepare(std::string(kPlanSelect) + "WHERE p.tenant_id = ? AND p.id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, plan_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(
        TrFormat(language, "no hay un acuerdo de pago con id {}", "no payment plan with id {}", plan_id)));
  }
  auto plan = ReadPlan(**query);
  if (!plan) return Fail(plan.error());
  query->reset();
  std::vector<PlanRecord> plans;
  plans.push_back(std::move(*plan));
  if (auto ok = LoadDetails(database, tenant_id, plans); !ok) return Fail(ok.error());
  return std::move(plans.front());
}

Result<std::vector<PlanRecord>> ListPlans(Database& database, int64_t tenant_id, const PlanFilter& filter) {
  static constexpr std::array<std::string_view, 5> kStatuses = {kPlanProposed, kPlanActive, kPlanCompleted, kPlanBroken,
                                                                kPlanCancelled};
  if (filter.status && std::find(kStatuses.begin(), kStatuses.end(), *filter.status) == kStatuses.end()) {
    return Fail(Error::BadInput(TrFormat(filter.language,
                                         "status: '{}' no es proposed, active, completed, broken ni cancelled",
                                         "status: '{}' is not proposed, active, completed, broken or cancelled",
                                         *filter.status)));
  }
  if (filter.customer_id) {
    auto customer = LoadCustomer(database, tenant_id, *filter.customer_id, filter.language);
    if (!customer) return Fail(customer.error());
  }
  std::string sql = std::string(kPlanSelect) + "WHERE p.tenant_id = ? AND p.id > ?";
  if (filter.customer_id) sql += " AND p.customer_id = ?";
  if (filter.status) sql += " AND p.status = ?";
  sql += fmt::format(" ORDER BY p.id LIMIT {}", std::clamp(filter.limit, 1, 10'000));
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int p = 1;
  (*query)->BindInt64(p++, tenant_id);
  (*query)->BindInt64(p++, filter.after_id);
  if (filter.customer_id) (*query)->BindInt64(p++, *filter.customer_id);
  if (filter.status) (*query)->BindText(p++, *filter.status);
  std::vector<PlanRecord> plans;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto plan = ReadPlan(**query);
    if (!plan) return Fail(plan.error());
    plans.push_back(std::move(*plan));
  }
  query->reset();
  if (auto ok = LoadDetails(database, tenant_id, plans); !ok) return Fail(ok.error());
  return plans;
}

namespace {

nlohmann::json MoneyJson(int64_t minor, const std::string& currency) {
  auto code = Currency::FromCode(currency);
  const int exponent = code ? code->exponent() : 2;
  return {{"amount", FormatMinorUnits(minor, exponent)}, {"currency", currency}};
}

nlohmann::json OptionalDate(const std::optional<Date>& date) {
  return date ? nlohmann::json(date->ToIso()) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json PlanJson(const PlanRecord& plan) {
  nlohmann::json invoices = nlohmann::json::array();
  for (const PlanInvoice& invoice : plan.invoices) {
    invoices.push_back({{"id", invoice.invoice_id},
                        {"external_id", invoice.external_id},
                        {"number", invoice.number},
                        {"due_date", invoice.due_date.ToIso()},
                        {"covered", MoneyJson(invoice.open_minor_at_proposal, plan.currency)}});
  }
  nlohmann::json installments = nlohmann::json::array();
  for (const Installment& installment : plan.installments) {
    installments.push_back({{"number", installment.number},
                            {"due_date", installment.due_date.ToIso()},
                            {"amount", MoneyJson(installment.amount_minor, plan.currency)},
                            {"interest", MoneyJson(installment.interest_minor, plan.currency)},
                            {"paid", MoneyJson(installment.paid_minor, plan.currency)},
                            {"status", installment.status}});
  }
  nlohmann::json acceptance = nullptr;
  if (plan.acceptance) {
    acceptance = {{"accepted_by", plan.acceptance->accepted_by},
                  {"channel", plan.acceptance->channel},
                  {"accepted_at", plan.acceptance->accepted_at},
                  {"ip", plan.acceptance->ip.empty() ? nlohmann::json(nullptr) : nlohmann::json(plan.acceptance->ip)},
                  {"user_agent", plan.acceptance->user_agent.empty() ? nlohmann::json(nullptr)
                                                                     : nlohmann::json(plan.acceptance->user_agent)},
                  {"terms_sha256", plan.acceptance->terms_sha256}};
  }
  return {{"object", "payment_plan"},
          {"id", plan.id},
          {"customer", {{"id", plan.customer_id}, {"external_id", plan.customer_external_id}, {"name", plan.customer_name}}},
          {"status", plan.status},
          {"currency", plan.currency},
          {"frequency", PlanFrequencyCode(plan.frequency)},
          {"installment_count", plan.installment_count},
          {"proposed_on", plan.proposed_on.ToIso()},
          {"first_date", plan.first_date.ToIso()},
          {"balance", MoneyJson(plan.balance_minor, plan.currency)},
          {"down_payment", MoneyJson(plan.down_payment_minor, plan.currency)},
          {"financed", MoneyJson(plan.financed_minor, plan.currency)},
          {"interest", MoneyJson(plan.interest_minor, plan.currency)},
          {"total", MoneyJson(plan.total_minor, plan.currency)},
          {"paid", MoneyJson(plan.paid_minor, plan.currency)},
          {"annual_interest_rate",
           plan.annual_interest ? nlohmann::json(plan.annual_interest->ToPercentString(4)) : nlohmann::json(nullptr)},
          {"missed_to_break", plan.missed_to_break},
          {"missed_count", plan.missed_count},
          {"source", plan.source},
          {"created_by", plan.created_by},
          {"created_at", plan.created_at},
          {"accepted_on", OptionalDate(plan.accepted_on)},
          {"ended_on", OptionalDate(plan.ended_on)},
          {"cancel_reason", plan.cancel_reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(plan.cancel_reason)},
          {"invoices", std::move(invoices)},
          {"installments", std::move(installments)},
          {"acceptance", std::move(acceptance)}};
}

Result<int64_t> PlanInvoiceId(Database& database, int64_t tenant_id, int64_t customer_id,
                              std::string_view invoice_external_id, Language language) {
  auto query = database.Prepare("SELECT id FROM invoices WHERE tenant_id = ? AND customer_id = ? AND external_id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, customer_id);
  (*query)->BindText(3, invoice_external_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(language, "el cliente no tiene una factura con el id externo '{}'",
                                         "the customer has no invoice with external id '{}'", invoice_external_id)));
  }
  return (*query)->GetInt64(0);
}

Result<Date> PlanCustomerToday(Database& database, int64_t tenant_id, int64_t customer_id, Timestamp now,
                               Language language) {
  auto customer = LoadCustomer(database, tenant_id, customer_id, language);
  if (!customer) return Fail(customer.error());
  return DateIn(customer->time_zone, now);
}

Result<std::string> PlanTermsPdf(Database& database, int64_t tenant_id, int64_t plan_id, Language language) {
  auto plan = GetPlan(database, tenant_id, plan_id, language);
  if (!plan) return Fail(plan.error());
  return RenderPlanTerms(database, tenant_id, *plan);
}

}  // namespace cartera
