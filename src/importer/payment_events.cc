#include "importer/payment_events.h"

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"
#include "report/output.h"
#include "store/sql_dialect.h"
#include "webhooks/webhook_events.h"

namespace cartera {
namespace {

// Payments read per query: the batch writes between two reads (a COPY on
// PostgreSQL cannot run while a query is open on the connection).
constexpr int64_t kChunkRows = 5000;

}  // namespace

Result<int64_t> EmitPaymentsReceived(Database& database, int64_t tenant_id, int64_t after_id,
                                     const AuditContext& audit) {
  auto at = ParseUtc(audit.at);
  if (!at) return Fail(Error::Internal(fmt::format("the audit time '{}' is not a UTC timestamp", audit.at)));
  auto batch = webhooks::EventBatch::Begin(database, tenant_id, "payment.received", *at);
  if (!batch) return Fail(batch.error());
  if (!batch->wanted()) return 0;
  int64_t last_id = after_id;
  while (true) {
    auto query = database.Prepare(fmt::format(
        "SELECT p.id, p.external_id, c.external_id, i.external_id, p.date, p.currency, p.amount_minor, p.method, "
        "p.reference FROM payments p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id "
        "LEFT JOIN invoices i ON i.tenant_id = p.tenant_id AND i.id = p.invoice_id WHERE {} ORDER BY p.id LIMIT {}",
        SqlRowsAfter(database.dialect(), "p", last_id), kChunkRows));
    if (!query) return Fail(query.error());
    (*query)->BindInt64(1, tenant_id);
    auto text = [&](int column) {
      return (*query)->IsNull(column) ? nlohmann::json(nullptr) : nlohmann::json(std::string((*query)->GetText(column)));
    };
    std::vector<nlohmann::json> chunk;
    while (true) {
      auto row = (*query)->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      last_id = (*query)->GetInt64(0);
      const std::string currency((*query)->GetText(5));
      chunk.push_back({{"payment",
                        {{"id", last_id},
                         {"external_id", text(1)},
                         {"customer_external_id", text(2)},
                         {"invoice_external_id", text(3)},
                         {"date", text(4)},
                         {"amount", MoneyJson((*query)->GetInt64(6), currency)},
                         {"method", text(7)},
                         {"reference", text(8)},
                         {"source", "import"}}}});
    }
    query->reset();
    for (const nlohmann::json& data : chunk) {
      if (auto ok = batch->Add(data); !ok) return Fail(ok.error());
    }
    if (static_cast<int64_t>(chunk.size()) < kChunkRows) break;
  }
  if (auto ok = batch->Finish(); !ok) return Fail(ok.error());
  return batch->events();
}

}  // namespace cartera
