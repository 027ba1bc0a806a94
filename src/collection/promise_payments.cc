#include "collection/promise_payments.h"

#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "report/output.h"

namespace cartera {

// Up to this many promises are named in the query; more read the tenant's
// whole (small) promise_payments table instead.
constexpr size_t kPromisesNamedMax = 500;

Status AttachPromisePayments(Database& database, int64_t tenant_id, std::vector<PromiseRecord>& records) {
  std::unordered_map<int64_t, PromiseRecord*> by_id;
  std::string ids;
  for (PromiseRecord& record : records) {
    // Only a settled promise has payments recorded.
    if (!record.outcome) continue;
    by_id.emplace(record.id, &record);
    ids += (ids.empty() ? "" : ", ") + std::to_string(record.id);
  }
  if (by_id.empty()) return {};
  auto query = database.Prepare(fmt::format(
      "SELECT pp.promise_id, pay.id, pay.external_id, pay.date, pp.amount_minor FROM promise_payments pp JOIN "
      "payments pay ON pay.tenant_id = pp.tenant_id AND pay.id = pp.payment_id WHERE pp.tenant_id = ?{} ORDER BY "
      "pp.promise_id, pay.date, pay.id",
      by_id.size() <= kPromisesNamedMax ? fmt::format(" AND pp.promise_id IN ({})", ids) : std::string()));
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    auto found = by_id.find(r.GetInt64(0));
    if (found == by_id.end()) continue;
    auto date = Date::ParseIso(r.GetText(3).substr(0, 10));
    if (!date) return Fail(Error::Internal(fmt::format("payment {}: stored date '{}'", r.GetInt64(1), r.GetText(3))));
    found->second->payments.push_back({r.GetInt64(1), std::string(r.GetText(2)), *date, r.GetInt64(4)});
  }
  return {};
}

nlohmann::json PromisePaymentsJson(const PromiseRecord& record) {
  nlohmann::json payments = nlohmann::json::array();
  for (const PromisePaymentLine& line : record.payments) {
    payments.push_back({{"id", line.payment_id},
                        {"external_id", line.external_id},
                        {"date", line.date.ToIso()},
                        {"amount", MoneyJson(line.amount_minor, record.currency)}});
  }
  return payments;
}

}  // namespace cartera
