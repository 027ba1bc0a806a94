// The import pipeline. Rows stream from the CSV reader through RowParser
// into a temporary staging table (bulk: prepared INSERT on SQLite, COPY on
// PostgreSQL); checks that need the whole file or the database (duplicate
// ids, invoice references) and the merge itself are set-based SQL, so the
// work per row stays small and memory stays flat whatever the file size.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "importer/csv_reader.h"
#include "importer/direct_load.h"
#include "importer/entity_specs.h"
#include "importer/import.h"
#include "importer/import_source.h"
#include "importer/ledger_rules.h"
#include "importer/payment_events.h"
#include "importer/row_parser.h"
#include "store/bulk_load.h"
#include "store/ledger_rebalance.h"
#include "store/sql_dialect.h"

namespace cartera {
namespace {

constexpr int64_t kProgressEveryRows = 50000;

std::string Joined(const std::vector<std::string_view>& items, std::string_view prefix) {
  std::string out;
  for (std::string_view item : items) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}{}", prefix, item);
  }
  return out;
}

class StagedImport {
 public:
  StagedImport(Database& database, const ImportOptions& options)
      : database_(database), options_(options), spec_(SpecFor(options.kind)) {
    errors_.kept_max = options.errors_kept_max;
  }

  Result<ImportReport> Run() {
    auto source = OpenImportSource(spec_, options_);
    if (!source) return Fail(source.error());
    CsvReader& reader = source->reader;
    RowParser& parser = source->parser;

    auto transaction = Transaction::Begin(database_);
    if (!transaction) return Fail(transaction.error());
    if (auto locked = LockTenantLedger(database_, options_.tenant_id); !locked) return Fail(locked.error());
    if (auto loaded = LoadCustomerIds(database_, options_.tenant_id, parser); !loaded) return Fail(loaded.error());
    if (auto ok = PrepareWorkTable(database_, spec_.stage_table, parser.StageTableDefinition()); !ok) {
      return Fail(ok.error());
    }
    if (auto ok = Stage(reader, parser); !ok) return Fail(ok.error());
    if (errors_.empty()) {
      if (auto ok = CheckDuplicates(); !ok) return Fail(ok.error());
      if (auto ok = ResolveInvoiceReferences(); !ok) return Fail(ok.error());
      if (spec_.kind == ImportKind::kCreditNotes) {
        if (auto ok = CheckLedgerRules(); !ok) return Fail(ok.error());
      }
    }
    if (!errors_.empty()) return ErrorReport();

    parser_ = &parser;
    if (auto ok = Merge(); !ok) return Fail(ok.error());
    if (!errors_.empty()) return ErrorReport();  // a ledger rule refused rows: the transaction rolls back
    if (spec_.kind == ImportKind::kCustomers) {
      if (auto ok = MergeContactPoints(); !ok) return Fail(ok.error());
    } else {
      auto rebalanced = Rebalance();
      if (!rebalanced) return Fail(rebalanced.error());
      report_.rebalance = *rebalanced;
    }
    report_.dry_run = options_.dry_run;
    if (!options_.dry_run) {
      if (auto committed = transaction->Commit(); !committed) return Fail(committed.error());
    }
    return report_;
  }

 private:
  Status Stage(CsvReader& reader, const RowParser& parser) {
    auto writer = database_.BulkInsert(spec_.stage_table, parser.StageColumns());
    if (!writer) return Fail(writer.error());
    CsvRow row;
    std::vector<std::optional<std::string>> values;
    std::vector<std::optional<std::string_view>> views;
    while (true) {
      auto has_row = reader.Next(row);
      if (!has_row) {
        // A broken file structure ends the read; report it with the rest.
        errors_.Add(0, has_row.error().message);
        break;
      }
      if (!*has_row) break;
      ++report_.rows;
      if (options_.on_progress && report_.rows % kProgressEveryRows == 0) options_.on_progress(report_.rows);
      if (!parser.Parse(row.line, row.fields, values, errors_)) continue;
      if (!errors_.empty()) continue;  // nothing will be written: skip the staging work
      views.assign(values.size(), std::nullopt);
      for (size_t i = 0; i < values.size(); ++i) {
        if (values[i]) views[i] = *values[i];
      }
      if (auto added = (*writer)->Add(views); !added) return added;
    }
    if (options_.on_progress) options_.on_progress(report_.rows);
    return (*writer)->Finish();
  }

  // Runs a query whose rows are (line, facts...) and records one error per
  // row, worded by `say` in the reader's language from the facts.
  Status CollectErrors(const std::string& sql, const std::function<std::string(const Statement&)>& say) {
    auto query = database_.Prepare(sql);
    if (!query) return Fail(query.error());
    while (true) {
      auto has_row = (*query)->Step();
      if (!has_row) return Fail(has_row.error());
      if (!*has_row) break;
      errors_.Add((*query)->GetInt64(0), say(**query));
    }
    return {};
  }

  Status CheckDuplicates() {
    return CollectErrors(
        fmt::format("SELECT s.line, s.external_id, d.first_line FROM {0} s JOIN (SELECT external_id, MIN(line) AS "
                    "first_line FROM {0} GROUP BY external_id HAVING COUNT(*) > 1) d ON d.external_id = s.external_id "
                    "WHERE s.line <> d.first_line ORDER BY s.line",
                    spec_.stage_table),
        [&](const Statement& row) {
          return TrFormat(options_.language, "campo 'external_id': '{}' aparece de nuevo (primero en la línea {})",
                          "field 'external_id': '{}' appears again (first on line {})", row.GetText(1),
                          row.GetInt64(2));
        });
  }

  Status ResolveInvoiceReferences() {
    if (spec_.kind != ImportKind::kPayments && spec_.kind != ImportKind::kCreditNotes) return {};
    const std::string_view stage = spec_.stage_table;
    auto resolve = database_.Prepare(fmt::format(
        "UPDATE {0} SET invoice_id = t.id, invoice_customer_id = t.customer_id, invoice_currency = t.currency, "
        "invoice_issue_date = t.issue_date FROM invoices t WHERE t.tenant_id = ? AND t.external_id = {0}.invoice_external_id",
        stage));
    if (!resolve) return Fail(resolve.error());
    (*resolve)->BindInt64(1, options_.tenant_id);
    if (auto ok = (*resolve)->Run(); !ok) return ok;
    // Each check selects (line, facts...) of the rows it rejects.
    const Language lang = options_.language;
    struct Check {
      std::string sql;
      std::function<std::string(const Statement&)> say;
    };
    std::vector<Check> checks = {
        {fmt::format("SELECT line, invoice_external_id FROM {} WHERE invoice_external_id IS NOT NULL AND "
                     "invoice_id IS NULL",
                     stage),
         [&](const Statement& row) {
           return TrFormat(lang, "campo 'invoice_external_id': factura desconocida '{}'",
                           "field 'invoice_external_id': unknown invoice '{}'", row.GetText(1));
         }},
        {fmt::format("SELECT line, invoice_external_id FROM {} WHERE invoice_id IS NOT NULL AND "
                     "invoice_customer_id <> customer_id",
                     stage),
         [&](const Statement& row) {
           return TrFormat(lang, "campo 'invoice_external_id': la factura '{}' es de otro cliente",
                           "field 'invoice_external_id': invoice '{}' belongs to another customer", row.GetText(1));
         }},
        {fmt::format("SELECT line, currency, invoice_external_id, invoice_currency FROM {} WHERE invoice_id IS NOT "
                     "NULL AND invoice_currency <> currency",
                     stage),
         [&](const Statement& row) {
           return TrFormat(lang, "campo 'currency': '{}' no es la moneda de la factura '{}' ({})",
                           "field 'currency': '{}' differs from the currency of invoice '{}' ({})", row.GetText(1),
                           row.GetText(2), row.GetText(3));
         }},
    };
    if (spec_.kind == ImportKind::kCreditNotes) {
      checks.push_back(
          {fmt::format("SELECT line, date, invoice_external_id, invoice_issue_date FROM {} WHERE invoice_id IS NOT "
                       "NULL AND date < invoice_issue_date",
                       stage),
           [&](const Statement& row) {
             return TrFormat(lang, "campo 'date': '{}' es anterior a la fecha de emisión de la factura '{}' ({})",
                             "field 'date': '{}' is before the issue date of invoice '{}' ({})", row.GetText(1),
                             row.GetText(2), row.GetText(3));
           }});
    }
    for (const Check& check : checks) {
      if (auto ok = CollectErrors(check.sql, check.say); !ok) return ok;
    }
    return {};
  }

  // Rules between the file and the stored ledger (ledger_rules.h).
  Status CheckLedgerRules() {
    for (const LedgerRuleCheck& check : LedgerRuleChecks(spec_.kind, spec_.stage_table, options_.tenant_id,
                                                         options_.language)) {
      if (auto ok = CollectErrors(check.sql, check.say); !ok) return ok;
    }
    return {};
  }

  Result<ImportReport> ErrorReport() {
    AddErrorsToReport(errors_, options_, report_);
    return report_;
  }

  Result<int64_t> Count(const std::string& sql) {
    auto count = database_.QueryInt64(sql);
    if (!count) return Fail(count.error());
    return count->value_or(0);
  }

  // Runs a statement whose parameters are (tenant, at, actor, source, tenant).
  Status RunAudited(const std::string& sql) {
    auto statement = database_.Prepare(sql);
    if (!statement) return Fail(statement.error());
    (*statement)->BindInt64(1, options_.tenant_id);
    (*statement)->BindText(2, options_.audit.at);
    (*statement)->BindText(3, options_.audit.actor);
    (*statement)->BindText(4, options_.audit.source);
    (*statement)->BindInt64(5, options_.tenant_id);
    return (*statement)->Run();
  }

  Status RunWithTenant(const std::string& sql, int tenant_parameters = 1) {
    auto statement = database_.Prepare(sql);
    if (!statement) return Fail(statement.error());
    for (int i = 1; i <= tenant_parameters; ++i) (*statement)->BindInt64(i, options_.tenant_id);
    return (*statement)->Run();
  }

  Status Merge() {
    const Dialect dialect = database_.dialect();
    const std::string_view stage = spec_.stage_table, table = spec_.table;
    std::vector<std::pair<std::string, std::string>> before_fields, after_fields;
    std::string differs;
    std::string assignments;
    for (std::string_view column : spec_.merge_columns) {
      // A column the file does not have keeps its stored values; an empty
      // cell in a column it has clears them.
      if (!parser_->HasColumn(column)) continue;
      before_fields.emplace_back(column, fmt::format("t.{}", column));
      after_fields.emplace_back(column, fmt::format("s.{}", column));
      differs += fmt::format("{}{}", differs.empty() ? "" : " OR ",
                             SqlDistinct(dialect, fmt::format("t.{}", column), fmt::format("{}.{}", stage, column)));
      assignments += fmt::format("{}{} = s.{}", assignments.empty() ? "" : ", ", column, column);
    }
    // Which rows exist already, and which of those differ.
    if (auto ok = RunWithTenant(fmt::format("UPDATE {0} SET existing_id = t.id{2} FROM {1} t WHERE t.tenant_id = ? "
                                            "AND t.external_id = {0}.external_id",
                                            stage, table,
                                            spec_.kind == ImportKind::kCustomers ? "" : ", previous_customer_id = t.customer_id"));
        !ok) {
      return ok;
    }
    if (differs.empty()) differs = "1 = 0";  // only the key in the file: nothing can change
    if (auto ok = RunWithTenant(fmt::format("UPDATE {0} SET changed = 1 FROM {1} t WHERE t.tenant_id = ? AND "
                                            "t.id = {0}.existing_id AND ({2})",
                                            stage, table, differs));
        !ok) {
      return ok;
    }
    // Invoices: rules over what changed, before anything is written.
    if (spec_.kind == ImportKind::kInvoices) {
      if (auto ok = CheckLedgerRules(); !ok) return ok;
      if (!errors_.empty()) return {};
    }
    auto created = Count(fmt::format("SELECT COUNT(*) FROM {} WHERE existing_id IS NULL", stage));
    auto updated = Count(fmt::format("SELECT COUNT(*) FROM {} WHERE changed = 1", stage));
    if (!created || !updated) return Fail(!created ? created.error() : updated.error());
    report_.created = *created;
    report_.updated = *updated;
    report_.unchanged = report_.rows - *created - *updated;

    // Updates: audit before/after, then write.
    if (report_.updated > 0) {
      if (auto ok = RunAudited(fmt::format(
              "INSERT INTO audit_log (tenant_id, at, actor, entity, entity_id, action, before_json, after_json, source) "
              "SELECT ?, ?, ?, '{0}', t.id, 'update', {1}, {2}, ? || ':' || s.line FROM {3} s JOIN {4} t "
              "ON t.id = s.existing_id WHERE t.tenant_id = ? AND s.changed = 1",
              spec_.entity, SqlJsonObject(dialect, before_fields), SqlJsonObject(dialect, after_fields), stage, table));
          !ok) {
        return ok;
      }
      auto update = database_.Prepare(fmt::format("UPDATE {0} SET {1}, updated_at = ? FROM {2} s WHERE "
                                                  "{0}.tenant_id = ? AND {0}.id = s.existing_id AND s.changed = 1",
                                                  table, assignments, stage));
      if (!update) return Fail(update.error());
      (*update)->BindText(1, options_.audit.at);
      (*update)->BindInt64(2, options_.tenant_id);
      if (auto ok = (*update)->Run(); !ok) return ok;
    }

    // Creates: insert in file order, then audit the ids above the old maximum
    // as one range (the tenant's ledger writers are serialised).
    if (report_.created > 0) {
      auto before_max = Count(SqlMaxId(database_.dialect(), table, options_.tenant_id));
      if (!before_max) return Fail(before_max.error());
      std::vector<std::string_view> insert_columns = spec_.merge_columns;
      std::vector<std::string> select_columns;
      for (std::string_view column : spec_.merge_columns) select_columns.push_back(fmt::format("s.{}", column));
      for (const auto& [column, expression] : spec_.create_only) {
        insert_columns.push_back(column);
        select_columns.emplace_back(expression);
      }
      auto insert = database_.Prepare(fmt::format(
          "INSERT INTO {0} (tenant_id, external_id, {1}, created_at, updated_at) SELECT ?, s.external_id, {2}, ?, ? "
          "FROM {3} s WHERE s.existing_id IS NULL ORDER BY s.line",
          table, Joined(insert_columns, ""), fmt::join(select_columns, ", "), stage));
      if (!insert) return Fail(insert.error());
      (*insert)->BindInt64(1, options_.tenant_id);
      (*insert)->BindText(2, options_.audit.at);
      (*insert)->BindText(3, options_.audit.at);
      if (auto ok = (*insert)->Run(); !ok) return ok;
      if (auto ok = AuditCreatedRange(database_, options_.tenant_id, options_.audit, spec_.entity, table, *before_max,
                                      report_.created);
          !ok) {
        return ok;
      }
      // payment.received per payment created (not for an updated one: it was received before).
      if (spec_.kind == ImportKind::kPayments) {
        auto emitted = EmitPaymentsReceived(database_, options_.tenant_id, *before_max, options_.audit);
        if (!emitted) return Fail(emitted.error());
      }
    }
    return {};
  }

  Status MergeContactPoints() {
    // The is_primary UPDATE below walks the tenant's contact points and looks
    // each one's customer up in the staging table: without this index SQLite
    // scans the whole staging table per contact point (quadratic: hours at
    // 1,000,000 customers).
    if (auto ok = database_.Execute(fmt::format("CREATE INDEX IF NOT EXISTS {0}_by_external_id ON {0} (external_id)",
                                                spec_.stage_table));
        !ok) {
      return ok;
    }
    for (std::string_view channel : {"email", "phone", "whatsapp"}) {
      auto before_max = Count(SqlMaxId(database_.dialect(), "contact_points", options_.tenant_id));
      if (!before_max) return Fail(before_max.error());
      auto insert = database_.Prepare(fmt::format(
          "INSERT INTO contact_points (tenant_id, customer_id, channel, value, is_primary, source, created_at) "
          "SELECT c.tenant_id, c.id, '{0}', s.{0}, 1, 'import', ? FROM import_customers s JOIN customers c "
          "ON c.external_id = s.external_id WHERE c.tenant_id = ? AND s.{0} IS NOT NULL AND NOT EXISTS "
          "(SELECT 1 FROM contact_points p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id AND "
          "p.channel = '{0}' AND p.value = s.{0})",
          channel));
      if (!insert) return Fail(insert.error());
      (*insert)->BindText(1, options_.audit.at);
      (*insert)->BindInt64(2, options_.tenant_id);
      if (auto ok = (*insert)->Run(); !ok) return ok;
      // The value in the file is the customer's primary one for the channel.
      if (auto ok = RunWithTenant(fmt::format(
              "UPDATE contact_points SET is_primary = CASE WHEN contact_points.value = s.{0} THEN 1 ELSE 0 END "
              "FROM import_customers s JOIN customers c ON c.external_id = s.external_id AND c.tenant_id = ? "
              "WHERE contact_points.tenant_id = c.tenant_id AND contact_points.customer_id = c.id AND "
              "contact_points.channel = '{0}' AND s.{0} IS NOT NULL AND "
              "contact_points.is_primary <> CASE WHEN contact_points.value = s.{0} THEN 1 ELSE 0 END",
              channel));
          !ok) {
        return ok;
      }
      // Consent columns: "yes" is the debtor's own authorisation, "no" an
      // opt-out.
      // A phone number carries one consent for SMS and calls: consent_sms,
      // or consent_call when only that is given.
      const std::string_view consent_column = channel == "email"      ? "s.consent_email"
                                              : channel == "whatsapp" ? "s.consent_whatsapp"
                                                                      : "COALESCE(s.consent_sms, s.consent_call)";
      auto consent = database_.Prepare(fmt::format(
          "UPDATE contact_points SET consent = CASE WHEN {1} = 'no' THEN 'revoked' ELSE 'granted' END, "
          "consent_source = 'debtor', consent_at = ? FROM import_customers s JOIN customers c ON "
          "c.external_id = s.external_id AND c.tenant_id = ? WHERE contact_points.tenant_id = c.tenant_id AND "
          "contact_points.customer_id = c.id AND contact_points.channel = '{0}' AND contact_points.value = s.{0} AND "
          "{1} IS NOT NULL",
          channel, consent_column));
      if (!consent) return Fail(consent.error());
      (*consent)->BindText(1, options_.audit.at);
      (*consent)->BindInt64(2, options_.tenant_id);
      if (auto ok = (*consent)->Run(); !ok) return ok;
      if (auto ok = RunAudited(fmt::format(
              "INSERT INTO audit_log (tenant_id, at, actor, entity, entity_id, action, after_json, source) "
              "SELECT ?, ?, ?, 'contact_point', p.id, 'create', {0}, ? FROM contact_points p WHERE {1}",
              SqlJsonObject(database_.dialect(), {{"customer_id", "p.customer_id"},
                                                  {"channel", "p.channel"},
                                                  {"value", "p.value"},
                                                  {"source", "p.source"}}),
              SqlRowsAfter(database_.dialect(), "p", *before_max)));
          !ok) {
        return ok;
      }
    }
    return {};
  }

  // Customers whose balances may move: those with changed documents (before
  // and after a move between customers), and those with credit waiting for
  // a new invoice.
  Result<RebalanceStats> Rebalance() {
    if (auto ok = PrepareRebalanceCustomers(database_); !ok) return Fail(ok.error());
    const std::string_view stage = spec_.stage_table;
    const std::string insert = fmt::format("INSERT INTO {} (customer_id) ", kRebalanceCustomersTable);
    std::string affected;
    if (spec_.kind == ImportKind::kInvoices) {
      affected = fmt::format(
          "SELECT customer_id FROM {0} WHERE changed = 1 UNION SELECT previous_customer_id FROM {0} WHERE changed = 1 "
          "UNION SELECT customer_id FROM (SELECT customer_id FROM payments WHERE tenant_id = ? AND unapplied_minor > 0 "
          "UNION SELECT customer_id FROM credit_notes WHERE tenant_id = ? AND unapplied_minor > 0) waiting "
          "WHERE customer_id IN (SELECT customer_id FROM {0} WHERE existing_id IS NULL)",
          stage);
    } else {
      affected = fmt::format(
          "SELECT customer_id FROM {0} WHERE changed = 1 OR existing_id IS NULL UNION SELECT previous_customer_id "
          "FROM {0} WHERE changed = 1",
          stage);
    }
    if (auto ok = RunWithTenant(insert + affected, spec_.kind == ImportKind::kInvoices ? 2 : 0); !ok) {
      return Fail(ok.error());
    }
    auto listed = Count(fmt::format("SELECT COUNT(*) FROM {}", kRebalanceCustomersTable));
    if (!listed) return Fail(listed.error());
    if (*listed == 0) return RebalanceStats{};
    AuditContext audit = options_.audit;
    return RebalanceCustomers(database_, options_.tenant_id, audit, RebalanceScope::kListedCustomers);
  }

  Database& database_;
  const ImportOptions& options_;
  const EntitySpec& spec_;
  RowErrors errors_;
  ImportReport report_;
  const RowParser* parser_ = nullptr;  // the file's columns, for Merge
};

}  // namespace

std::optional<ImportKind> ParseImportKind(std::string_view text) {
  if (text == "customers") return ImportKind::kCustomers;
  if (text == "invoices") return ImportKind::kInvoices;
  if (text == "payments") return ImportKind::kPayments;
  if (text == "credit-notes" || text == "credit_notes") return ImportKind::kCreditNotes;
  return std::nullopt;
}

Result<ImportReport> RunImport(Database& database, const ImportOptions& options) {
  auto direct = TryDirectLoad(database, options);
  if (!direct) return Fail(direct.error());
  if (*direct) return std::move(**direct);
  StagedImport import(database, options);
  return import.Run();
}

}  // namespace cartera
