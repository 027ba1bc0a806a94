#include "collection/disputes.h"

#include <algorithm>

#include <fmt/format.h>

#include "collection/dispute_reasons.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "report/customer_list.h"
#include "report/list_page.h"
#include "report/output.h"
#include "webhooks/webhook_events.h"

namespace cartera {
namespace {

nlohmann::json TextOrNull(const std::string& text) { return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text); }

Result<Timestamp> AuditTime(const AuditContext& audit) {
  auto at = ParseUtc(audit.at);
  if (!at) return Fail(Error::Internal(fmt::format("the audit time '{}' is not a UTC timestamp", audit.at)));
  return *at;
}

Status CheckedAdd(std::map<std::string, int64_t>& sums, const std::string& currency, int64_t minor) {
  int64_t& sum = sums[currency];
  if (__builtin_add_overflow(sum, minor, &sum)) {
    return Fail(Error{ErrorCode::kOverflow, fmt::format("the {} amounts do not fit in 64 bits", currency)});
  }
  return {};
}

}  // namespace

std::pair<std::string, std::string> SplitDisputeReason(const std::string& reason) {
  for (const DisputeReasonDefault& known : kDisputeReasonDefaults) {
    if (reason == known.code) return {std::string(known.code), ""};
    const std::string prefix = fmt::format("{}:", known.code);
    if (reason.starts_with(prefix)) {
      std::string text = reason.substr(prefix.size());
      while (!text.empty() && text.front() == ' ') text.erase(text.begin());
      return {std::string(known.code), text};
    }
  }
  return {"other", reason};
}

Result<int64_t> InsertCatalogueDisputeIn(Database& database, int64_t tenant_id, int64_t invoice_id,
                                         int64_t customer_id, const std::string& invoice_external_id,
                                         const std::string& reason_code, const std::string& text,
                                         const AuditContext& audit) {
  const Language language = audit.language;
  if (!IsDisputeReasonCode(reason_code)) {
    return Fail(Error::BadInput(TrFormat(language, "reason_code: '{}' no es un motivo del catálogo (use {})",
                                         "reason_code: '{}' is not a reason of the catalogue (use {})", reason_code,
                                         DisputeReasonCodes())));
  }
  auto reason = LoadDisputeReason(database, tenant_id, reason_code, language);
  if (!reason) return Fail(reason.error());
  auto open = database.QueryInt64(fmt::format(
      "SELECT COUNT(*) FROM disputes WHERE tenant_id = {} AND invoice_id = {} AND status = 'open'", tenant_id, invoice_id));
  if (!open) return Fail(open.error());
  if (open->value_or(0) > 0) {
    return Fail(Error::BadInput(TrFormat(language, "la factura '{}' ya tiene una disputa abierta",
                                         "invoice '{}' already has an open dispute", invoice_external_id)));
  }
  auto invoice = database.Prepare(
      "SELECT i.currency, i.open_minor, COALESCE(c.collector, '') FROM invoices i JOIN customers c ON c.tenant_id = "
      "i.tenant_id AND c.id = i.customer_id WHERE i.tenant_id = ? AND i.id = ?");
  if (!invoice) return Fail(invoice.error());
  (*invoice)->BindInt64(1, tenant_id);
  (*invoice)->BindInt64(2, invoice_id);
  auto row = (*invoice)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(language, "no hay una factura con el id externo '{}'",
                                         "no invoice with external id '{}'", invoice_external_id)));
  }
  const std::string currency((*invoice)->GetText(0));
  const int64_t held_minor = (*invoice)->GetInt64(1);
  const std::string collector((*invoice)->GetText(2));
  invoice->reset();
  auto at = AuditTime(audit);
  if (!at) return Fail(at.error());
  auto today = TenantToday(database, tenant_id, *at);
  if (!today) return Fail(today.error());
  const Date deadline = today->PlusDays(reason->deadline_days);
  const std::string owner = !reason->owner.empty() ? reason->owner : collector;
  const std::string stored_reason = text.empty() ? reason_code : text;
  auto insert = database.Prepare(
      "INSERT INTO disputes (tenant_id, customer_id, invoice_id, reason, status, opened_at, reason_code, owner, "
      "deadline, currency, held_minor) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindInt64(2, customer_id);
  (*insert)->BindInt64(3, invoice_id);
  (*insert)->BindText(4, stored_reason);
  (*insert)->BindText(5, audit.at);
  (*insert)->BindText(6, reason_code);
  if (owner.empty()) {
    (*insert)->BindNull(7);
  } else {
    (*insert)->BindText(7, owner);
  }
  (*insert)->BindText(8, deadline.ToIso());
  (*insert)->BindText(9, currency);
  (*insert)->BindInt64(10, held_minor);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  insert->reset();
  auto id = database.QueryInt64(fmt::format("SELECT MAX(id) FROM disputes WHERE tenant_id = {}", tenant_id));
  if (!id) return Fail(id.error());
  const int64_t dispute_id = id->value_or(0);
  const nlohmann::json after = {{"invoice_id", invoice_id},   {"reason", stored_reason},
                                {"reason_code", reason_code}, {"owner", TextOrNull(owner)},
                                {"deadline", deadline.ToIso()}, {"held_minor", held_minor},
                                {"currency", currency},       {"status", "open"}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "dispute", dispute_id, "create", "", after.dump()); !ok) {
    return Fail(ok.error());
  }
  auto emitted = webhooks::EmitEvent(database, tenant_id, "dispute.opened",
                                     {{"dispute",
                                       {{"id", dispute_id},
                                        {"invoice_external_id", invoice_external_id},
                                        {"reason", stored_reason},
                                        {"reason_code", reason_code},
                                        {"deadline", deadline.ToIso()},
                                        {"owner", TextOrNull(owner)},
                                        {"status", "open"}}}},
                                     *at);
  if (!emitted) return Fail(emitted.error());
  return dispute_id;
}

Result<int64_t> OpenDisputeFromCatalogue(Database& database, int64_t tenant_id, const DisputeOpening& opening,
                                         const AuditContext& audit) {
  if (!IsDisputeReasonCode(opening.reason_code)) {
    return Fail(Error::BadInput(TrFormat(audit.language, "reason_code: '{}' no es un motivo del catálogo (use {})",
                                         "reason_code: '{}' is not a reason of the catalogue (use {})",
                                         opening.reason_code, DisputeReasonCodes())));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto invoice = database.Prepare("SELECT id, customer_id FROM invoices WHERE tenant_id = ? AND external_id = ?");
  if (!invoice) return Fail(invoice.error());
  (*invoice)->BindInt64(1, tenant_id);
  (*invoice)->BindText(2, opening.invoice_external_id);
  auto row = (*invoice)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(audit.language, "no hay una factura con el id externo '{}'",
                                         "no invoice with external id '{}'", opening.invoice_external_id)));
  }
  const int64_t invoice_id = (*invoice)->GetInt64(0), customer_id = (*invoice)->GetInt64(1);
  invoice->reset();
  auto id = InsertCatalogueDisputeIn(database, tenant_id, invoice_id, customer_id, opening.invoice_external_id,
                                     opening.reason_code, opening.text, audit);
  if (!id) return Fail(id.error());
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return *id;
}

Result<std::vector<DisputeView>> ListDisputeViews(Database& database, int64_t tenant_id, const DisputeFilter& filter,
                                                  Language language) {
  if (filter.customer_external_id) {
    auto known = CustomerIdByExternalId(database, tenant_id, *filter.customer_external_id, language);
    if (!known) return Fail(known.error());
  }
  std::string sql =
      "SELECT d.id, c.external_id, c.name, i.external_id, i.number, d.reason_code, d.reason, d.status, "
      "COALESCE(d.outcome, ''), COALESCE(d.resolution, ''), d.opened_at, d.deadline, COALESCE(d.owner, ''), "
      "COALESCE(d.currency, i.currency), COALESCE(d.held_minor, 0), i.open_minor, d.credit_minor, d.credit_note_id, "
      "d.notice_id, COALESCE(d.resolved_at, ''), COALESCE(d.resolved_by, '') FROM disputes d JOIN customers c ON "
      "c.tenant_id = d.tenant_id AND c.id = d.customer_id JOIN invoices i ON i.tenant_id = d.tenant_id AND i.id = "
      "d.invoice_id WHERE d.tenant_id = ?";
  if (filter.status) sql += " AND d.status = ?";
  if (filter.reason_code) sql += " AND d.reason_code = ?";
  if (filter.owner) sql += *filter.owner == "none" ? " AND d.owner IS NULL" : " AND d.owner = ?";
  if (filter.customer_external_id) sql += " AND c.external_id = ?";
  if (filter.id) sql += " AND d.id = ?";
  if (filter.overdue) {
    sql += *filter.overdue ? " AND d.status = 'open' AND d.deadline < ?"
                           : " AND NOT (d.status = 'open' AND d.deadline IS NOT NULL AND d.deadline < ?)";
  }
  sql += " ORDER BY d.id DESC";
  if (filter.limit > 0) sql += fmt::format(" LIMIT {}", filter.limit);
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  int parameter = 1;
  (*query)->BindInt64(parameter++, tenant_id);
  if (filter.status) (*query)->BindText(parameter++, *filter.status);
  if (filter.reason_code) (*query)->BindText(parameter++, *filter.reason_code);
  if (filter.owner && *filter.owner != "none") (*query)->BindText(parameter++, *filter.owner);
  if (filter.customer_external_id) (*query)->BindText(parameter++, *filter.customer_external_id);
  if (filter.id) (*query)->BindInt64(parameter++, *filter.id);
  if (filter.overdue) (*query)->BindText(parameter++, filter.as_of.ToIso());
  std::vector<DisputeView> views;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    DisputeView view;
    view.id = r.GetInt64(0);
    view.customer_external_id = r.GetText(1);
    view.customer_name = r.GetText(2);
    view.invoice_external_id = r.GetText(3);
    view.invoice_number = r.GetText(4);
    view.reason_code = r.GetText(5);
    const std::string reason(r.GetText(6));
    view.text = reason == view.reason_code ? "" : reason;
    view.status = r.GetText(7);
    view.outcome = r.GetText(8);
    view.resolution = r.GetText(9);
    view.opened_at = r.GetText(10);
    if (!r.IsNull(11)) {
      auto deadline = Date::ParseIso(r.GetText(11).substr(0, 10));
      if (deadline) view.deadline = *deadline;
    }
    view.owner = r.GetText(12);
    view.currency = r.GetText(13);
    view.held_minor = r.GetInt64(14);
    view.invoice_open_minor = r.GetInt64(15);
    if (!r.IsNull(16)) view.credit_minor = r.GetInt64(16);
    if (!r.IsNull(17)) view.credit_note_id = r.GetInt64(17);
    if (!r.IsNull(18)) view.notice_id = r.GetInt64(18);
    view.resolved_at = r.GetText(19);
    view.resolved_by = r.GetText(20);
    view.overdue = view.status == "open" && view.deadline && *view.deadline < filter.as_of;
    views.push_back(std::move(view));
  }
  return views;
}

Result<DisputeView> LoadDisputeView(Database& database, int64_t tenant_id, int64_t dispute_id, Date as_of,
                                    Language language) {
  DisputeFilter filter;
  filter.id = dispute_id;
  filter.as_of = as_of;
  auto views = ListDisputeViews(database, tenant_id, filter, language);
  if (!views) return Fail(views.error());
  if (views->empty()) {
    return Fail(Error::NotFound(TrFormat(language, "no hay disputa con id {}", "no dispute with id {}", dispute_id)));
  }
  return std::move(views->front());
}

Result<std::vector<DisputeView>> LoadOverdueDisputes(Database& database, int64_t tenant_id, Date as_of,
                                                     const std::optional<std::string>& owner, bool with_unowned) {
  DisputeFilter filter;
  filter.overdue = true;
  filter.as_of = as_of;
  auto views = ListDisputeViews(database, tenant_id, filter, Language::kEnglish);
  if (!views) return Fail(views.error());
  if (owner) {
    std::erase_if(*views, [&](const DisputeView& view) {
      return !(view.owner == *owner || (with_unowned && view.owner.empty()));
    });
  }
  std::stable_sort(views->begin(), views->end(), [](const DisputeView& a, const DisputeView& b) {
    return a.deadline < b.deadline || (a.deadline == b.deadline && a.id < b.id);
  });
  return views;
}

nlohmann::json DisputeViewJson(const DisputeView& view) {
  const auto code_label = [&](Language language) { return std::string(DisputeReasonLabel(view.reason_code, language)); };
  return {{"id", view.id},
          {"customer_external_id", view.customer_external_id},
          {"customer_name", view.customer_name},
          {"invoice_external_id", view.invoice_external_id},
          {"invoice_number", view.invoice_number},
          {"reason", view.reason_code},
          {"reason_code", view.reason_code},
          {"reason_label", {{"es", code_label(Language::kSpanish)}, {"en", code_label(Language::kEnglish)}}},
          {"text", view.text},
          {"status", view.status},
          {"outcome", TextOrNull(view.outcome)},
          {"resolution", view.resolution},
          {"opened_at", view.opened_at},
          {"deadline", view.deadline ? nlohmann::json(view.deadline->ToIso()) : nlohmann::json(nullptr)},
          {"overdue", view.overdue},
          {"owner", TextOrNull(view.owner)},
          {"held", MoneyJson(view.held_minor, view.currency)},
          {"invoice_open", MoneyJson(view.invoice_open_minor, view.currency)},
          {"credit", view.credit_minor ? MoneyJson(*view.credit_minor, view.currency) : nlohmann::json(nullptr)},
          {"credit_note_id", view.credit_note_id ? nlohmann::json(*view.credit_note_id) : nlohmann::json(nullptr)},
          {"notice_id", view.notice_id ? nlohmann::json(*view.notice_id) : nlohmann::json(nullptr)},
          {"resolved_at", TextOrNull(view.resolved_at)},
          {"resolved_by", TextOrNull(view.resolved_by)}};
}

// --- the root-cause report ---

namespace {

struct ReportGroup {
  DisputeReportRow row;
  std::vector<int32_t> days;
};

Status AddToGroup(ReportGroup& group, const DisputeView& view, std::optional<int32_t> days) {
  DisputeReportRow& row = group.row;
  ++row.opened;
  if (view.status == "open") ++row.open;
  if (view.status == "resolved") ++row.resolved;
  if (view.outcome == "accepted") ++row.accepted;
  if (view.outcome == "rejected") ++row.rejected;
  if (view.overdue) ++row.overdue;
  if (days) group.days.push_back(*days);
  if (auto ok = CheckedAdd(row.held_minor, view.currency, view.held_minor); !ok) return ok;
  if (view.credit_minor) {
    if (auto ok = CheckedAdd(row.credited_minor, view.currency, *view.credit_minor); !ok) return ok;
  }
  return {};
}

void FinishGroup(ReportGroup& group) {
  std::vector<int32_t>& days = group.days;
  if (days.empty()) return;
  std::sort(days.begin(), days.end());
  const size_t n = days.size();
  group.row.median_days_to_resolve =
      n % 2 == 1 ? static_cast<double>(days[n / 2]) : (static_cast<double>(days[n / 2 - 1]) + days[n / 2]) / 2.0;
  int64_t sum = 0;
  for (int32_t d : days) sum += d;
  // One decimal: days are what a person reads, not money.
  group.row.average_days_to_resolve =
      static_cast<double>(static_cast<int64_t>((static_cast<double>(sum) / static_cast<double>(n)) * 10.0 + 0.5)) / 10.0;
}

nlohmann::json MoneyList(const std::map<std::string, int64_t>& sums) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [currency, minor] : sums) list.push_back(MoneyJson(minor, currency));
  return list;
}

nlohmann::json RowJson(const DisputeReportRow& row) {
  const auto optional = [](const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  return {{"key", row.key},
          {"label", row.label},
          {"opened", row.opened},
          {"open", row.open},
          {"resolved", row.resolved},
          {"accepted", row.accepted},
          {"rejected", row.rejected},
          {"overdue", row.overdue},
          {"median_days_to_resolve", optional(row.median_days_to_resolve)},
          {"average_days_to_resolve", optional(row.average_days_to_resolve)},
          {"held_back", MoneyList(row.held_minor)},
          {"credited", MoneyList(row.credited_minor)}};
}

}  // namespace

Result<DisputeReport> BuildDisputeReport(Database& database, int64_t tenant_id, const DisputeReportOptions& options,
                                         Date as_of, Language language) {
  if (options.by != "reason" && options.by != "customer" && options.by != "month") {
    return Fail(Error::BadInput(TrFormat(language, "by: '{}': use reason, customer o month",
                                         "by: '{}': use reason, customer or month", options.by)));
  }
  if (options.from && options.to && *options.to < *options.from) {
    return Fail(Error::BadInput(TrFormat(language, "from: {} es posterior a to: {}", "from: {} is after to: {}",
                                         options.from->ToIso(), options.to->ToIso())));
  }
  DisputeFilter filter;
  filter.as_of = as_of;
  auto views = ListDisputeViews(database, tenant_id, filter, language);
  if (!views) return Fail(views.error());
  DisputeReport report;
  report.options = options;
  report.as_of = as_of;
  std::map<std::string, ReportGroup> groups;
  if (options.by == "reason") {
    // Every reason has a row, even without disputes: the catalogue is the frame.
    for (const DisputeReasonDefault& reason : kDisputeReasonDefaults) {
      ReportGroup& group = groups[std::string(reason.code)];
      group.row.key = std::string(reason.code);
      group.row.label = std::string(Tr(language, reason.es, reason.en));
    }
  }
  ReportGroup total;
  total.row.key = "total";
  total.row.label = std::string(Tr(language, "Total", "Total"));
  for (const DisputeView& view : *views) {
    auto opened = Date::ParseIso(view.opened_at.substr(0, 10));
    if (!opened) continue;
    if (options.from && *opened < *options.from) continue;
    if (options.to && *options.to < *opened) continue;
    std::optional<int32_t> days;
    if (view.status == "resolved" && view.resolved_at.size() >= 10) {
      if (auto resolved = Date::ParseIso(view.resolved_at.substr(0, 10))) days = DaysBetween(*opened, *resolved);
    }
    std::string key, label;
    if (options.by == "reason") {
      key = view.reason_code;
      label = std::string(DisputeReasonLabel(view.reason_code, language));
    } else if (options.by == "customer") {
      key = view.customer_external_id;
      label = view.customer_name;
    } else {
      key = view.opened_at.substr(0, 7);
      label = key;
    }
    ReportGroup& group = groups[key];
    group.row.key = key;
    group.row.label = label;
    if (auto ok = AddToGroup(group, view, days); !ok) return Fail(ok.error());
    if (auto ok = AddToGroup(total, view, days); !ok) return Fail(ok.error());
  }
  for (auto& [key, group] : groups) {
    FinishGroup(group);
    report.rows.push_back(std::move(group.row));
  }
  FinishGroup(total);
  report.total = std::move(total.row);
  if (options.by == "month") {
    std::sort(report.rows.begin(), report.rows.end(),
              [](const DisputeReportRow& a, const DisputeReportRow& b) { return a.key < b.key; });
  } else {
    std::stable_sort(report.rows.begin(), report.rows.end(), [](const DisputeReportRow& a, const DisputeReportRow& b) {
      return a.opened > b.opened;
    });
  }
  return report;
}

nlohmann::json DisputeReportJson(const DisputeReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const DisputeReportRow& row : report.rows) rows.push_back(RowJson(row));
  return {{"by", report.options.by},
          {"from", report.options.from ? nlohmann::json(report.options.from->ToIso()) : nlohmann::json(nullptr)},
          {"to", report.options.to ? nlohmann::json(report.options.to->ToIso()) : nlohmann::json(nullptr)},
          {"as_of", report.as_of.ToIso()},
          {"rows", std::move(rows)},
          {"total", RowJson(report.total)}};
}

}  // namespace cartera
