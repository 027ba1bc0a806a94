#include "collection/timeline.h"

#include <fmt/format.h>

#include "report/output.h"

namespace cartera {

Result<std::vector<TimelineEntry>> LoadTimeline(Database& database, int64_t tenant_id,
                                                const std::string& customer_external_id) {
  auto customer = database.Prepare("SELECT id FROM customers WHERE tenant_id = ? AND external_id = ?");
  if (!customer) return Fail(customer.error());
  (*customer)->BindInt64(1, tenant_id);
  (*customer)->BindText(2, customer_external_id);
  auto found = (*customer)->Step();
  if (!found) return Fail(found.error());
  if (!*found) return Fail(Error::NotFound(fmt::format("no customer '{}'", customer_external_id)));
  const int64_t customer_id = (*customer)->GetInt64(0);
  customer->reset();
  // Columns: date, source, kind, stage, action, code, channel, outcome, detail, amount, currency, detail_es.
  auto query = database.Prepare(
      "SELECT CAST(e.business_date AS TEXT), 'engine', e.kind, COALESCE(e.stage, ''), COALESCE(e.action, ''), "
      "COALESCE(e.code, ''), '', '', COALESCE(t.text, e.detail, ''), CAST(NULL AS BIGINT), '', COALESCE(t.text_es, '') "
      "FROM engine_log e "
      "LEFT JOIN engine_log_texts t ON t.tenant_id = e.tenant_id AND t.business_date = e.business_date AND "
      "t.id = e.detail_id WHERE e.tenant_id = ? AND e.customer_id = ? "
      "UNION ALL SELECT CAST(o.business_date AS TEXT), 'outbox', o.status, o.stage, o.action, '', "
      "COALESCE(o.channel, ''), COALESCE(o.outcome, ''), COALESCE(o.recipient, '') || COALESCE(' (' || "
      "o.last_error || ')', ''), NULL, '', '' FROM outbox o WHERE o.tenant_id = ? AND o.customer_id = ? "
      "UNION ALL SELECT CAST(p.promised_date AS TEXT), 'promise', p.status, '', '', '', '', '', '', p.amount_minor, "
      "p.currency, '' FROM promises p WHERE p.tenant_id = ? AND p.customer_id = ? "
      "UNION ALL SELECT SUBSTR(d.opened_at, 1, 10), 'dispute', d.status, '', '', '', '', '', d.reason, NULL, '', '' "
      "FROM disputes d WHERE d.tenant_id = ? AND d.customer_id = ? "
      // What the debtor wrote back.
      "UNION ALL SELECT SUBSTR(m.received_at, 1, 10), 'reply', m.channel, '', '', CASE WHEN m.opt_out = 1 THEN "
      "'opt_out' ELSE '' END, m.channel, '', m.sender || ': ' || m.body, NULL, '', '' FROM inbound_messages m "
      "WHERE m.tenant_id = ? AND m.customer_id = ? "
      // A collector's notes (collection/notes.h): who wrote what.
      "UNION ALL SELECT SUBSTR(n.created_at, 1, 10), 'note', 'note', '', '', '', '', '', n.author || ': ' || n.text, "
      "NULL, '', '' FROM customer_notes n WHERE n.tenant_id = ? AND n.customer_id = ? ORDER BY 1, 2");
  if (!query) return Fail(query.error());
  for (int block = 0; block < 6; ++block) {
    (*query)->BindInt64(block * 2 + 1, tenant_id);
    (*query)->BindInt64(block * 2 + 2, customer_id);
  }
  std::vector<TimelineEntry> entries;
  auto text = [&](int column) { return (*query)->IsNull(column) ? std::string() : std::string((*query)->GetText(column)); };
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return entries;
    TimelineEntry entry{text(0), text(1), text(2), text(3), text(4), text(5), text(6), text(7), text(8),
                        text(11), std::nullopt, text(10)};
    if (!(*query)->IsNull(9)) entry.amount_minor = (*query)->GetInt64(9);
    entries.push_back(std::move(entry));
  }
}

nlohmann::json TimelineEntryJson(const TimelineEntry& entry) {
  nlohmann::json out = {{"date", entry.date},     {"source", entry.source},   {"kind", entry.kind},
                        {"stage", entry.stage},   {"action", entry.action},   {"code", entry.code},
                        {"channel", entry.channel}, {"outcome", entry.outcome}, {"detail", entry.detail},
                        {"detail_es", entry.detail_es}};
  out["amount"] = entry.amount_minor ? MoneyJson(*entry.amount_minor, entry.currency) : nlohmann::json(nullptr);
  return out;
}

}  // namespace cartera
