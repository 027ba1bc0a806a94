// Turns one CSV record into the typed values of a staging row, or into
// errors that name the line and the field.
#pragma once

#include <algorithm>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/currency.h"
#include "importer/entity_specs.h"

namespace cartera {

// Every error is counted; only the first `kept_max` are kept, so a file of
// millions of bad rows cannot exhaust memory.
struct RowErrors {
  std::vector<std::pair<int64_t, std::string>> items;  // (line, "field 'x': problem")
  int64_t total = 0;
  size_t kept_max = 10000;
  // Each bad line once per run of its errors (a row's errors come
  // together; a later cross-row error may name a line again).
  std::vector<int64_t> lines;
  void Add(int64_t line, std::string message) {
    ++total;
    if (lines.empty() || lines.back() != line) lines.push_back(line);
    if (items.size() < kept_max) items.emplace_back(line, std::move(message));
  }
  bool empty() const { return total == 0; }
  // How many distinct lines have errors (line 0: the file itself).
  int64_t BadLines() {
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    return static_cast<int64_t>(lines.size());
  }
};

class RowParser {
 public:
  // `header` is the file's first record; fails when a required column is
  // missing or a column appears twice.
  static Result<RowParser> Create(const EntitySpec& spec, const std::vector<std::string>& header,
                                  const ImportOptions& options);

  // Staging columns in order: line, the fields' columns, attributes, then
  // the resolution columns of invoice references.
  std::vector<std::string> StageColumns() const;
  std::string StageTableDefinition() const;
  bool needs_customers() const;
  // Whether the file has the column that fills staging column `column`
  // ("invoice_id" counts as filled by invoice_external_id). An absent
  // optional column leaves stored values as they are on update.
  bool HasColumn(std::string_view column) const;
  // Whether the file has columns beyond the spec's (custom attributes).
  bool has_attributes() const { return !extra_columns_.empty(); }

  // external_id -> id, looked up by string_view without a copy per row.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  using CustomerIds = std::unordered_map<std::string, int64_t, TextHash, std::equal_to<>>;

  // Makes customer references resolvable.
  void SetCustomers(CustomerIds customers) {
    customers_ = std::move(customers);
    last_customer_text_.clear();
  }

  // Parses one record. On success fills `values` (aligned with
  // StageColumns(); nullopt is NULL) and returns true.
  bool Parse(int64_t line, const std::vector<std::string_view>& fields, std::vector<std::optional<std::string>>& values,
             RowErrors& errors) const;

 private:
  RowParser(const EntitySpec& spec, const ImportOptions& options) : spec_(&spec), options_(&options) {}

  const EntitySpec* spec_;
  const ImportOptions* options_;
  std::vector<int> field_to_column_;  // index in the record per spec field, -1 if absent
  std::vector<std::pair<int, std::string>> extra_columns_;  // kept as custom attributes
  size_t header_size_ = 0;
  CustomerIds customers_;
  // The previous row's customer reference and currency, as written and as
  // resolved: files tend to list a customer's documents together, in one
  // currency, and a repeat skips the lookups. Parse runs on one thread.
  mutable std::string last_customer_text_, last_customer_id_;
  mutable std::string last_currency_text_;
  mutable std::optional<Currency> last_currency_;
};

}  // namespace cartera
