#include "importer/direct_load.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "importer/import_source.h"
#include "importer/payment_events.h"
#include "store/bulk_load.h"
#include "store/ledger_rebalance.h"
#include "store/sql_dialect.h"

namespace cartera {
namespace {

constexpr size_t kBatchRows = 4096;
constexpr size_t kBatchesInFlight = 4;
constexpr int64_t kProgressEveryRows = 50000;

using ParsedRow = std::vector<std::optional<std::string>>;

struct Batch {
  std::vector<ParsedRow> rows;
  size_t used = 0;
};

// Parsed batches from the parser thread to the writer, bounded so memory
// stays flat; recycled batches keep their strings' capacity.
class BatchQueue {
 public:
  std::unique_ptr<Batch> TakeEmpty() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return cancelled_ || !free_.empty() || allocated_ < kBatchesInFlight; });
    if (cancelled_) return nullptr;
    if (free_.empty()) {
      ++allocated_;
      return std::make_unique<Batch>();
    }
    auto batch = std::move(free_.front());
    free_.pop_front();
    return batch;
  }
  void PushFull(std::unique_ptr<Batch> batch) {
    std::lock_guard lock(mutex_);
    full_.push_back(std::move(batch));
    changed_.notify_all();
  }
  void GiveBack(std::unique_ptr<Batch> batch) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(batch));
    changed_.notify_all();
  }
  // nullptr once the parser is done and every batch is taken.
  std::unique_ptr<Batch> TakeFull() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !full_.empty() || closed_; });
    if (full_.empty()) return nullptr;
    auto batch = std::move(full_.front());
    full_.pop_front();
    return batch;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  void Cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Batch>> full_, free_;
  size_t allocated_ = 0;
  bool closed_ = false, cancelled_ = false;
};

// Where each column of the INSERT comes from: a parsed value, a constant,
// or the next id (`numbered`).
struct ColumnSource {
  int stage_index = -1;
  std::string constant;
  bool numbered = false;
};

std::optional<std::vector<ColumnSource>> PlanColumns(const EntitySpec& spec, const std::vector<std::string>& stage,
                                                     const ImportOptions& options, std::vector<std::string>& names) {
  auto stage_index = [&](std::string_view column) {
    auto found = std::find(stage.begin(), stage.end(), column);
    return found == stage.end() ? -1 : static_cast<int>(found - stage.begin());
  };
  std::vector<ColumnSource> sources;
  auto add_parsed = [&](std::string_view name, std::string_view from) {
    const int index = stage_index(from);
    names.emplace_back(name);
    sources.push_back({index, {}});
    return index >= 0;
  };
  auto add_constant = [&](std::string_view name, std::string value) {
    names.emplace_back(name);
    sources.push_back({-1, std::move(value)});
  };
  add_constant("tenant_id", std::to_string(options.tenant_id));
  if (!add_parsed("external_id", "external_id")) return std::nullopt;
  for (std::string_view column : spec.merge_columns) {
    if (!add_parsed(column, column)) return std::nullopt;  // resolved by SQL: staged path
  }
  for (const auto& [column, expression] : spec.create_only) {
    if (!expression.starts_with("s.") || !add_parsed(column, expression.substr(2))) return std::nullopt;
  }
  add_constant("created_at", options.audit.at);
  add_constant("updated_at", options.audit.at);
  return sources;
}

std::vector<ColumnValue> Constants(const std::vector<std::string>& names, const std::vector<ColumnSource>& columns) {
  std::vector<ColumnValue> constants;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].stage_index < 0) constants.emplace_back(names[i], columns[i].constant);
  }
  return constants;
}

void LeaveOut(const std::vector<std::string>& left_out, std::vector<std::string>& names,
              std::vector<ColumnSource>& columns) {
  for (size_t i = names.size(); i-- > 0;) {
    if (std::find(left_out.begin(), left_out.end(), names[i]) == left_out.end()) continue;
    names.erase(names.begin() + static_cast<std::ptrdiff_t>(i));
    columns.erase(columns.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

class DirectLoad {
 public:
  DirectLoad(Database& database, const ImportOptions& options)
      : database_(database), options_(options), spec_(SpecFor(options.kind)) {
    errors_.kept_max = options.errors_kept_max;
  }

  Result<std::optional<ImportReport>> Run() {
    // Customers also merge contact points from the staging table.
    if (options_.dry_run || spec_.kind == ImportKind::kCustomers) return std::nullopt;
    auto source = OpenImportSource(spec_, options_);
    if (!source) return Fail(source.error());
    std::vector<std::string> names;
    auto columns = PlanColumns(spec_, source->parser.StageColumns(), options_, names);
    if (!columns) return std::nullopt;

    // Checked again inside the transaction; here it only picks the journal.
    std::optional<RollbackJournalDuringLoad> journal;
    if (auto empty = TableIsEmpty(database_, spec_.table); empty && *empty) journal.emplace(database_);
    auto transaction = Transaction::Begin(database_);
    if (!transaction) return Fail(transaction.error());
    if (auto locked = LockTenantLedger(database_, options_.tenant_id); !locked) return Fail(locked.error());
    auto existing = database_.QueryInt64(
        fmt::format("SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE tenant_id = {} LIMIT 1) probe", spec_.table,
                    options_.tenant_id));
    if (!existing) return Fail(existing.error());
    if (existing->value_or(0) != 0) return std::nullopt;
    if (auto loaded = LoadCustomerIds(database_, options_.tenant_id, source->parser); !loaded) {
      return Fail(loaded.error());
    }
    auto before_max = database_.QueryInt64(SqlMaxId(database_.dialect(), spec_.table, options_.tenant_id));
    if (!before_max) return Fail(before_max.error());

    // Into a table nobody has rows in yet, building the indexes once at
    // the end (a sort) beats updating them row by row.
    auto empty = ClaimEmptyTableForLoad(database_, spec_.table);
    if (!empty) return Fail(empty.error());
    std::vector<IndexDefinition> deferred;
    if (*empty) {
      auto dropped = DropSecondaryIndexes(database_, spec_.table, /*primary_key=*/true, spec_.kept_through_first_load);
      if (!dropped) return Fail(dropped.error());
      deferred = std::move(*dropped);
    }

    std::vector<std::string> defaulted;
    if (*empty) {
      auto taken = SetColumnDefaults(database_, spec_.table, Constants(names, *columns));
      if (!taken) return Fail(taken.error());
      defaulted = std::move(*taken);
      LeaveOut(defaulted, names, *columns);
      auto first_id = TakeIdsForLoad(database_, spec_.table);
      if (!first_id) return Fail(first_id.error());
      if (*first_id) {
        next_id_ = **first_id;
        names.emplace_back("id");
        columns->push_back({-1, {}, true});
      }
    }

    auto writer = database_.BulkInsert(spec_.table, names,
                                       *empty ? Database::BulkTarget::kIntoFreshTable : Database::BulkTarget::kAnyTable);
    if (!writer) return Fail(writer.error());
    const bool written = WriteAll(*source, **writer, *columns);
    if (!errors_.empty()) return ErrorReport();
    if (!written) return std::nullopt;  // e.g. a duplicate id: the staged path says which lines
    if (auto finished = (*writer)->Finish(); !finished) return std::nullopt;
    writer->reset();
    if (next_id_ && report_.rows > 0) {
      if (auto advanced = AdvanceIdSequence(database_, spec_.table, *next_id_ - 1); !advanced) {
        return Fail(advanced.error());
      }
    }
    if (auto dropped = DropColumnDefaults(database_, spec_.table, defaulted); !dropped) return Fail(dropped.error());
    if (auto built = CreateIndexes(database_, deferred); !built) return std::nullopt;

    report_.created = report_.rows;
    if (auto audited = AuditCreatedRange(database_, options_.tenant_id, options_.audit, spec_.entity, spec_.table,
                                         before_max->value_or(0), report_.created);
        !audited) {
      return Fail(audited.error());
    }
    if (spec_.kind == ImportKind::kPayments) {  // payment.received per payment, in bulk
      auto emitted = EmitPaymentsReceived(database_, options_.tenant_id, before_max->value_or(0), options_.audit);
      if (!emitted) return Fail(emitted.error());
    }
    auto rebalanced = RebalanceWaitingCredit();
    if (!rebalanced) return Fail(rebalanced.error());
    report_.rebalance = *rebalanced;
    if (auto committed = transaction->Commit(); !committed) return Fail(committed.error());
    return std::optional<ImportReport>(report_);
  }

 private:
  // Parses on a second thread while this one writes. False when the
  // database refused a row (the transaction is then useless).
  bool WriteAll(ImportSource& source, BulkWriter& writer, const std::vector<ColumnSource>& columns) {
    BatchQueue queue;
    std::atomic<int64_t> rows_read = 0;
    std::thread parser_thread([&] { Parse(source, queue, rows_read); });
    std::vector<std::optional<std::string_view>> values(columns.size());
    std::array<char, 24> id_text;
    bool ok = true;
    while (auto batch = queue.TakeFull()) {
      for (size_t r = 0; ok && r < batch->used; ++r) {
        const ParsedRow& row = batch->rows[r];
        for (size_t c = 0; c < columns.size(); ++c) {
          const ColumnSource& column = columns[c];
          if (column.numbered) {
            auto end = std::to_chars(id_text.data(), id_text.data() + id_text.size(), (*next_id_)++).ptr;
            values[c] = std::string_view(id_text.data(), static_cast<size_t>(end - id_text.data()));
          } else if (column.stage_index < 0) {
            values[c] = column.constant;
          } else {
            const auto& value = row[static_cast<size_t>(column.stage_index)];
            values[c] = value ? std::optional<std::string_view>(*value) : std::nullopt;
          }
        }
        if (!writer.Add(values)) ok = false;
      }
      queue.GiveBack(std::move(batch));
      if (!ok) {
        queue.Cancel();
        break;
      }
    }
    parser_thread.join();
    report_.rows = rows_read;
    return ok;
  }

  // The parser thread: owns the reader, the parser and the error list until
  // it ends. After the first bad row it only collects errors.
  void Parse(ImportSource& source, BatchQueue& queue, std::atomic<int64_t>& rows_read) {
    CsvRow row;
    int64_t rows = 0;
    bool at_end = false;
    while (!at_end) {
      auto batch = queue.TakeEmpty();
      if (!batch) break;  // the writer gave up
      batch->used = 0;
      while (!at_end && batch->used < kBatchRows) {
        auto has_row = source.reader.Next(row);
        if (!has_row) {
          errors_.Add(0, has_row.error().message);  // a broken structure ends the read
          at_end = true;
          break;
        }
        if (!*has_row) {
          at_end = true;
          break;
        }
        ++rows;
        if (options_.on_progress && rows % kProgressEveryRows == 0) options_.on_progress(rows);
        if (batch->used == batch->rows.size()) batch->rows.emplace_back();
        if (source.parser.Parse(row.line, row.fields, batch->rows[batch->used], errors_) && errors_.empty()) {
          ++batch->used;
        }
      }
      if (errors_.empty()) {
        queue.PushFull(std::move(batch));
      } else {
        queue.GiveBack(std::move(batch));
      }
    }
    rows_read = rows;
    if (options_.on_progress) options_.on_progress(rows);
    queue.Close();
  }

  Result<std::optional<ImportReport>> ErrorReport() {
    AddErrorsToReport(errors_, options_, report_);
    return std::optional<ImportReport>(report_);
  }

  // New invoices may settle credit that was waiting for them; other
  // customers' ledgers cannot have moved.
  Result<RebalanceStats> RebalanceWaitingCredit() {
    if (spec_.kind != ImportKind::kInvoices) return RebalanceStats{};
    if (auto ok = PrepareRebalanceCustomers(database_); !ok) return Fail(ok.error());
    auto list = database_.Prepare(fmt::format(
        "INSERT INTO {} (customer_id) SELECT customer_id FROM payments WHERE tenant_id = ? AND unapplied_minor > 0 "
        "UNION SELECT customer_id FROM credit_notes WHERE tenant_id = ? AND unapplied_minor > 0",
        kRebalanceCustomersTable));
    if (!list) return Fail(list.error());
    (*list)->BindInt64(1, options_.tenant_id);
    (*list)->BindInt64(2, options_.tenant_id);
    if (auto ok = (*list)->Run(); !ok) return Fail(ok.error());
    if ((*list)->ChangedRows() == 0) return RebalanceStats{};
    list->reset();
    return RebalanceCustomers(database_, options_.tenant_id, options_.audit, RebalanceScope::kListedCustomers);
  }

  Database& database_;
  const ImportOptions& options_;
  const EntitySpec& spec_;
  RowErrors errors_;
  ImportReport report_;
  std::optional<int64_t> next_id_;  // numbering the rows (TakeIdsForLoad)
};

}  // namespace

Result<std::optional<ImportReport>> TryDirectLoad(Database& database, const ImportOptions& options) {
  DirectLoad load(database, options);
  return load.Run();
}

}  // namespace cartera
