#include "store/ledger_rebalance.h"

#include <fmt/format.h>

#include "domain/allocation.h"
#include "store/payment_history.h"
#include "store/sql_dialect.h"

namespace cartera {
namespace {

constexpr int kInvoiceRow = 1, kPaymentRow = 2, kCreditNoteRow = 3, kPaymentAllocationRow = 4,
              kCreditNoteAllocationRow = 5;

std::string LedgerQuery(RebalanceScope scope) {
  const std::string filter = scope == RebalanceScope::kListedCustomers
                                 ? fmt::format(" AND customer_id IN (SELECT customer_id FROM {})", kRebalanceCustomersTable)
                                 : "";
  // One ordered stream of every document of the customers, so PostgreSQL
  // can stream it row by row and memory holds one customer at a time.
  return fmt::format(
      "SELECT customer_id, {0} AS row_kind, id, currency, issue_date, due_date, amount_minor, open_minor, "
      "last_allocation_date, CAST(NULL AS BIGINT) AS invoice_id, CAST(NULL AS BIGINT) AS credit_id FROM invoices WHERE tenant_id = ?{5} "
      "UNION ALL SELECT customer_id, {1}, id, currency, date, NULL, amount_minor, unapplied_minor, NULL, invoice_id, "
      "NULL FROM payments WHERE tenant_id = ?{5} "
      "UNION ALL SELECT customer_id, {2}, id, currency, date, NULL, amount_minor, unapplied_minor, NULL, invoice_id, "
      "NULL FROM credit_notes WHERE tenant_id = ?{5} "
      "UNION ALL SELECT customer_id, CASE WHEN payment_id IS NULL THEN {4} ELSE {3} END, id, currency, date, NULL, "
      "amount_minor, NULL, NULL, invoice_id, COALESCE(payment_id, credit_note_id) FROM allocations "
      "WHERE tenant_id = ?{5} ORDER BY 1, 2, 3",
      kInvoiceRow, kPaymentRow, kCreditNoteRow, kPaymentAllocationRow, kCreditNoteAllocationRow, filter);
}

Date ReadDate(const Statement& row, int column) {
  // Stored by us as YYYY-MM-DD; a failure here is a corrupted database.
  auto parsed = Date::ParseIso(row.GetText(column));
  return parsed ? *parsed : Date();
}

void AddRow(const Statement& row, CustomerLedger& ledger) {
  const int kind = static_cast<int>(row.GetInt64(1));
  switch (kind) {
    case kInvoiceRow: {
      LedgerInvoice invoice;
      invoice.id = row.GetInt64(2);
      invoice.currency = row.GetText(3);
      invoice.issue_date = ReadDate(row, 4);
      invoice.due_date = ReadDate(row, 5);
      invoice.amount_minor = row.GetInt64(6);
      invoice.open_minor = row.GetInt64(7);
      if (!row.IsNull(8)) invoice.last_allocation_date = ReadDate(row, 8);
      ledger.invoices.push_back(std::move(invoice));
      break;
    }
    case kPaymentRow:
    case kCreditNoteRow: {
      LedgerCredit credit;
      credit.kind = kind == kPaymentRow ? CreditKind::kPayment : CreditKind::kCreditNote;
      credit.id = row.GetInt64(2);
      credit.currency = row.GetText(3);
      credit.date = ReadDate(row, 4);
      credit.amount_minor = row.GetInt64(6);
      credit.unapplied_minor = row.GetInt64(7);
      if (!row.IsNull(9)) credit.invoice_id = row.GetInt64(9);
      ledger.credits.push_back(std::move(credit));
      break;
    }
    default: {
      LedgerAllocation allocation;
      allocation.id = row.GetInt64(2);
      allocation.currency = row.GetText(3);
      allocation.date = ReadDate(row, 4);
      allocation.amount_minor = row.GetInt64(6);
      allocation.invoice_id = row.GetInt64(9);
      allocation.credit_kind = kind == kPaymentAllocationRow ? CreditKind::kPayment : CreditKind::kCreditNote;
      allocation.credit_id = row.GetInt64(10);
      ledger.allocations.push_back(std::move(allocation));
    }
  }
}

// Collects plans into work tables, then applies them set-based.
class PlanWriter {
 public:
  PlanWriter(Database& database, int64_t tenant_id, const AuditContext& audit)
      : database_(database), tenant_id_(tenant_id), audit_(audit) {}

  Status Open() {
    if (auto ok = PrepareWorkTable(database_, "rebalance_dropped", "id BIGINT"); !ok) return ok;
    if (auto ok = PrepareWorkTable(database_, "rebalance_created",
                                   "customer_id BIGINT, invoice_id BIGINT, payment_id BIGINT, credit_note_id BIGINT, "
                                   "date DATE, currency TEXT, amount_minor BIGINT");
        !ok) {
      return ok;
    }
    if (auto ok = PrepareWorkTable(database_, "rebalance_invoices",
                                   "id BIGINT, open_minor BIGINT, last_allocation_date DATE");
        !ok) {
      return ok;
    }
    return PrepareWorkTable(database_, "rebalance_credits", "kind INTEGER, id BIGINT, unapplied_minor BIGINT");
  }

  // PostgreSQL cannot COPY while the ledger query streams, so plans are
  // held until the read ends; they hold only what changes.
  void Add(int64_t customer_id, RebalancePlan plan) {
    for (auto& allocation : plan.created) created_.push_back({customer_id, std::move(allocation)});
    for (auto& allocation : plan.dropped) dropped_.push_back(allocation.id);
    for (auto& balance : plan.invoice_changes) invoices_.push_back(balance);
    for (auto& balance : plan.credit_changes) credits_.push_back(balance);
  }

  Result<RebalanceStats> Apply(RebalanceStats stats) {
    stats.allocations_created = static_cast<int64_t>(created_.size());
    stats.allocations_dropped = static_cast<int64_t>(dropped_.size());
    stats.balances_changed = static_cast<int64_t>(invoices_.size() + credits_.size());
    if (auto ok = WriteWorkTables(); !ok) return Fail(ok.error());
    if (auto ok = ApplyWorkTables(); !ok) return Fail(ok.error());
    return stats;
  }

 private:
  Status WriteWorkTables() {
    using Values = std::vector<std::optional<std::string_view>>;
    if (!dropped_.empty()) {
      auto writer = database_.BulkInsert("rebalance_dropped", {"id"});
      if (!writer) return Fail(writer.error());
      for (int64_t id : dropped_) {
        std::string text = std::to_string(id);
        if (auto ok = (*writer)->Add(Values{text}); !ok) return ok;
      }
      if (auto ok = (*writer)->Finish(); !ok) return ok;
    }
    if (!created_.empty()) {
      auto writer = database_.BulkInsert(
          "rebalance_created",
          {"customer_id", "invoice_id", "payment_id", "credit_note_id", "date", "currency", "amount_minor"});
      if (!writer) return Fail(writer.error());
      for (const auto& [customer_id, allocation] : created_) {
        std::string customer = std::to_string(customer_id), invoice = std::to_string(allocation.invoice_id),
                    credit = std::to_string(allocation.credit_id), date = allocation.date.ToIso(),
                    amount = std::to_string(allocation.amount_minor);
        const bool is_payment = allocation.credit_kind == CreditKind::kPayment;
        Values values{customer, invoice, is_payment ? std::optional<std::string_view>(credit) : std::nullopt,
                      is_payment ? std::nullopt : std::optional<std::string_view>(credit), date,
                      allocation.currency, amount};
        if (auto ok = (*writer)->Add(values); !ok) return ok;
      }
      if (auto ok = (*writer)->Finish(); !ok) return ok;
    }
    if (!invoices_.empty()) {
      auto writer = database_.BulkInsert("rebalance_invoices", {"id", "open_minor", "last_allocation_date"});
      if (!writer) return Fail(writer.error());
      for (const InvoiceBalance& balance : invoices_) {
        std::string id = std::to_string(balance.invoice_id), open = std::to_string(balance.open_minor);
        std::optional<std::string> date;
        if (balance.last_allocation_date) date = balance.last_allocation_date->ToIso();
        Values values{id, open, date ? std::optional<std::string_view>(*date) : std::nullopt};
        if (auto ok = (*writer)->Add(values); !ok) return ok;
      }
      if (auto ok = (*writer)->Finish(); !ok) return ok;
    }
    if (!credits_.empty()) {
      auto writer = database_.BulkInsert("rebalance_credits", {"kind", "id", "unapplied_minor"});
      if (!writer) return Fail(writer.error());
      for (const CreditBalance& balance : credits_) {
        std::string kind = std::to_string(static_cast<int>(balance.kind)), id = std::to_string(balance.credit_id),
                    unapplied = std::to_string(balance.unapplied_minor);
        if (auto ok = (*writer)->Add(Values{kind, id, unapplied}); !ok) return ok;
      }
      if (auto ok = (*writer)->Finish(); !ok) return ok;
    }
    return {};
  }

  Status Run(const std::string& sql, bool with_audit_parameters) {
    auto statement = database_.Prepare(sql);
    if (!statement) return Fail(statement.error());
    if (with_audit_parameters) {
      (*statement)->BindInt64(1, tenant_id_);
      (*statement)->BindText(2, audit_.at);
      (*statement)->BindText(3, audit_.actor);
      (*statement)->BindText(4, audit_.source);
      (*statement)->BindInt64(5, tenant_id_);
    } else {
      (*statement)->BindInt64(1, tenant_id_);
    }
    return (*statement)->Run();
  }

  Status ApplyWorkTables() {
    const Dialect dialect = database_.dialect();
    const std::string allocation_json = SqlJsonObject(
        dialect, {{"invoice_id", "a.invoice_id"}, {"payment_id", "a.payment_id"}, {"credit_note_id", "a.credit_note_id"},
                  {"date", "a.date"}, {"currency", "a.currency"}, {"amount_minor", "a.amount_minor"}});
    if (!dropped_.empty()) {
      if (auto ok = Run(fmt::format("INSERT INTO audit_log (tenant_id, at, actor, entity, entity_id, action, before_json, "
                                    "source) SELECT ?, ?, ?, 'allocation', a.id, 'delete', {}, ? FROM allocations a "
                                    "WHERE a.tenant_id = ? AND a.id IN (SELECT id FROM rebalance_dropped)",
                                    allocation_json),
                        true);
          !ok) {
        return ok;
      }
      if (auto ok = Run("DELETE FROM allocations WHERE tenant_id = ? AND id IN (SELECT id FROM rebalance_dropped)", false);
          !ok) {
        return ok;
      }
    }
    if (!created_.empty()) {
      auto before = database_.QueryInt64(SqlMaxId(database_.dialect(), "allocations", tenant_id_));
      if (!before) return Fail(before.error());
      auto insert = database_.Prepare(
          "INSERT INTO allocations (tenant_id, customer_id, invoice_id, payment_id, credit_note_id, date, currency, "
          "amount_minor, created_at) SELECT ?, customer_id, invoice_id, payment_id, credit_note_id, date, currency, "
          "amount_minor, ? FROM rebalance_created");
      if (!insert) return Fail(insert.error());
      (*insert)->BindInt64(1, tenant_id_);
      (*insert)->BindText(2, audit_.at);
      if (auto ok = (*insert)->Run(); !ok) return ok;
      // Ledger writers of a tenant are serialised, so the new ids are the ones above the old maximum.
      if (auto ok = Run(fmt::format("INSERT INTO audit_log (tenant_id, at, actor, entity, entity_id, action, after_json, "
                                    "source) SELECT ?, ?, ?, 'allocation', a.id, 'create', {}, ? FROM allocations a "
                                    "WHERE {}",
                                    allocation_json, SqlRowsAfter(database_.dialect(), "a", **before)),
                        true);
          !ok) {
        return ok;
      }
    }
    if (!invoices_.empty()) {
      auto update = database_.Prepare(
          "UPDATE invoices SET open_minor = r.open_minor, last_allocation_date = r.last_allocation_date "
          "FROM rebalance_invoices r WHERE invoices.tenant_id = ? AND invoices.id = r.id");
      if (!update) return Fail(update.error());
      (*update)->BindInt64(1, tenant_id_);
      if (auto ok = (*update)->Run(); !ok) return ok;
    }
    if (!credits_.empty()) {
      for (const auto& [table, kind] : {std::pair{"payments", CreditKind::kPayment},
                                        std::pair{"credit_notes", CreditKind::kCreditNote}}) {
        if (auto ok = Run(fmt::format("UPDATE {0} SET unapplied_minor = r.unapplied_minor FROM rebalance_credits r "
                                      "WHERE {0}.tenant_id = ? AND {0}.id = r.id AND r.kind = {1}",
                                      table, static_cast<int>(kind)),
                          false);
            !ok) {
          return ok;
        }
      }
    }
    return {};
  }

  Database& database_;
  int64_t tenant_id_;
  const AuditContext& audit_;
  std::vector<std::pair<int64_t, LedgerAllocation>> created_;
  std::vector<int64_t> dropped_;
  std::vector<InvoiceBalance> invoices_;
  std::vector<CreditBalance> credits_;
};

}  // namespace

Status PrepareRebalanceCustomers(Database& database) {
  return PrepareWorkTable(database, kRebalanceCustomersTable, "customer_id BIGINT PRIMARY KEY");
}

Result<RebalanceStats> RebalanceCustomers(Database& database, int64_t tenant_id, const AuditContext& audit,
                                          RebalanceScope scope) {
  PlanWriter writer(database, tenant_id, audit);
  if (auto opened = writer.Open(); !opened) return Fail(opened.error());
  auto query = database.Prepare(LedgerQuery(scope));
  if (!query) return Fail(query.error());
  for (int i = 1; i <= 4; ++i) (*query)->BindInt64(i, tenant_id);

  RebalanceStats stats;
  CustomerLedger ledger;
  ledger.customer_id = -1;
  auto flush = [&]() {
    if (ledger.customer_id < 0) return;
    ++stats.customers;
    RebalancePlan plan = PlanRebalance(ledger);
    if (!plan.empty()) writer.Add(ledger.customer_id, std::move(plan));
  };
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const int64_t customer_id = (*query)->GetInt64(0);
    if (customer_id != ledger.customer_id) {
      flush();
      ledger = CustomerLedger{};
      ledger.customer_id = customer_id;
    }
    AddRow(**query, ledger);
  }
  flush();
  query->reset();
  auto applied = writer.Apply(stats);
  if (!applied) return applied;
  // Balances (and, on re-import, due dates) moved: the payment behaviour too.
  if (scope == RebalanceScope::kListedCustomers) {
    if (auto ok = RefreshPaymentHistory(database, tenant_id, kRebalanceCustomersTable); !ok) return Fail(ok.error());
  } else {
    auto grace = StoredHistoryGraceDays(database, tenant_id);
    if (!grace) return Fail(grace.error());
    if (auto ok = RebuildPaymentHistory(database, tenant_id, grace->value_or(kDefaultHistoryGraceDays)); !ok) {
      return Fail(ok.error());
    }
  }
  return applied;
}

}  // namespace cartera
