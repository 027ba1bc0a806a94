// The rules an import must keep between the file and the stored ledger,
// as set-based checks over the staging table. Each check selects (line,
// facts...) for the rows it refuses; `say` words one error from them in
// the reader's language.
//
// - An invoice that payments, credit notes or allocations sit on keeps its
//   currency and customer: changing either would leave, say, a COP credit
//   note on a USD invoice.
// - An invoice's credit notes never add up to more than its amount (nor
//   does a re-import lower the amount below them): the excess would
//   otherwise be credit that silently pays another invoice.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/language.h"
#include "importer/import.h"
#include "store/database.h"

namespace cartera {

struct LedgerRuleCheck {
  std::string sql;
  std::function<std::string(const Statement&)> say;
};

// REQUIRES: the staging table is filled; for credit notes, with invoice
// references resolved (invoice_id); for invoices, with existing_id and
// changed set (the merge's first step) and nothing written yet.
std::vector<LedgerRuleCheck> LedgerRuleChecks(ImportKind kind, std::string_view stage_table, int64_t tenant_id,
                                              Language language);

}  // namespace cartera
