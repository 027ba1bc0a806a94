#include "collection/portfolio.h"

#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "collection/records.h"
#include "core/time_zone.h"
#include "store/sql_dialect.h"

namespace cartera {
namespace {

constexpr int32_t kContactLookbackDays = 40;  // longer than any rulebook period
constexpr int kResponseWindowDays = 7;          // a payment this soon after a contact counts as an answer

Date ParseStoredDate(std::string_view text) {
  auto date = Date::ParseIso(text);
  return date ? *date : Date();
}

// Runs a query and hands each row to `row`.
template <typename RowFunction>
Status ForEachRow(Database& database, const std::string& sql, const std::vector<std::string>& parameters,
                  RowFunction row) {
  auto query = database.Prepare(sql);
  if (!query) return Fail(query.error());
  for (size_t i = 0; i < parameters.size(); ++i) (*query)->BindText(static_cast<int>(i + 1), parameters[i]);
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return {};
    row(**query);
  }
}

size_t ChannelIndex(Channel channel) { return static_cast<size_t>(channel) - 1; }

}  // namespace

Result<std::pair<std::string, Strategy>> LoadActiveStrategy(Database& database, int64_t tenant_id) {
  std::optional<std::pair<std::string, std::string>> stored;
  auto loaded = ForEachRow(database,
                           "SELECT name, definition FROM strategies WHERE tenant_id = CAST(? AS BIGINT) AND is_default = 1",
                           {std::to_string(tenant_id)}, [&](const Statement& row) {
                             stored = std::pair{std::string(row.GetText(0)), std::string(row.GetText(1))};
                           });
  if (!loaded) return Fail(loaded.error());
  if (!stored) return std::pair{std::string("default"), DefaultStrategy()};
  auto strategy = ParseStrategyText(stored->second);
  if (!strategy) {
    return Fail(Error::Conflict(fmt::format("stored strategy '{}' is invalid: {}", stored->first, strategy.error().message)));
  }
  return std::pair{stored->first, *strategy};
}

Result<Portfolio> LoadPortfolio(Database& database, int64_t tenant_id, Timestamp now) {
  Portfolio portfolio;
  portfolio.tenant_id = tenant_id;
  auto strategy = LoadActiveStrategy(database, tenant_id);
  if (!strategy) return Fail(strategy.error());
  portfolio.strategy_name = strategy->first;
  portfolio.strategy = std::move(strategy->second);
  const std::string tenant = std::to_string(tenant_id);

  std::unordered_set<int64_t> disputed;
  if (auto ok = ForEachRow(database,
                           "SELECT invoice_id FROM disputes WHERE tenant_id = CAST(? AS BIGINT) AND status = 'open'",
                           {tenant}, [&](const Statement& row) { disputed.insert(row.GetInt64(0)); });
      !ok) {
    return Fail(ok.error());
  }
  std::unordered_map<int64_t, int32_t> broken_promises;
  if (auto ok = ForEachRow(database,
                           "SELECT customer_id, COUNT(*) FROM promises WHERE tenant_id = CAST(? AS BIGINT) AND "
                           "status = 'broken' GROUP BY customer_id",
                           {tenant}, [&](const Statement& row) {
                             broken_promises[row.GetInt64(0)] = static_cast<int32_t>(row.GetInt64(1));
                           });
      !ok) {
    return Fail(ok.error());
  }

  // Every invoice of every customer, in customer order: history for the
  // segment, open ones for the decision.
  std::unordered_map<int64_t, size_t> index_of;
  std::vector<std::pair<int64_t, int64_t>> open_by_customer;  // for size segments
  CustomerState current;
  std::vector<PaymentRecord> history;
  std::unordered_map<std::string, std::pair<int64_t, int64_t>> amounts_by_currency;  // sum, count
  // Customers share a handful of zones: resolve each zone's today once.
  std::unordered_map<std::string, Date> today_by_zone;
  auto finish = [&]() {
    if (current.id == 0) return;
    auto zone = today_by_zone.find(current.time_zone);
    if (zone == today_by_zone.end()) {
      zone = today_by_zone
                 .emplace(current.time_zone,
                          DateIn(IsKnownTimeZone(current.time_zone) ? std::string_view(current.time_zone) : "UTC", now))
                 .first;
    }
    const Date today = zone->second;
    current.segment = ComputeSegment(history, broken_promises[current.id], today);
    int64_t open_total = 0;
    for (CurrencyBook& book : current.books) {
      auto [sum, count] = amounts_by_currency[book.currency];
      book.average_invoice_minor = count > 0 ? sum / count : 0;
      for (const OpenInvoice& invoice : book.invoices) open_total += invoice.open_minor;
    }
    if (!current.books.empty()) {
      index_of[current.id] = portfolio.customers.size();
      open_by_customer.emplace_back(current.id, open_total);
      portfolio.customers.push_back(std::move(current));
    }
    current = CustomerState{};
    history.clear();
    amounts_by_currency.clear();
  };
  auto streamed = ForEachRow(
      database,
      "SELECT c.id, c.external_id, c.name, c.country, c.kind, c.time_zone, c.language, i.id, i.currency, i.due_date, "
      "i.amount_minor, i.open_minor, i.last_allocation_date FROM customers c JOIN invoices i ON "
      "i.tenant_id = c.tenant_id AND i.customer_id = c.id WHERE c.tenant_id = CAST(? AS BIGINT) "
      // The order of invoices_by_customer (id is the rowid at its end on
      // SQLite): "ORDER BY c.id" made SQLite sort every invoice.
      "ORDER BY i.customer_id, i.due_date, i.id",
      {tenant}, [&](const Statement& row) {
        const int64_t customer_id = row.GetInt64(0);
        if (customer_id != current.id) {
          finish();
          current.id = customer_id;
          current.external_id = row.GetText(1);
          current.name = row.GetText(2);
          current.country = row.GetText(3);
          current.consumer = row.GetText(4) == "person";
          current.time_zone = row.GetText(5);
          current.language = row.GetText(6);
        }
        const std::string currency(row.GetText(8));
        const Date due = ParseStoredDate(row.GetText(9));
        const int64_t amount = row.GetInt64(10), open = row.GetInt64(11);
        PaymentRecord record{due, amount, open, row.IsNull(12) ? Date() : ParseStoredDate(row.GetText(12))};
        history.push_back(record);
        auto& [sum, count] = amounts_by_currency[currency];
        sum += amount;
        ++count;
        if (open <= 0) return;
        const int64_t invoice_id = row.GetInt64(7);
        CurrencyBook* book = nullptr;
        for (CurrencyBook& candidate : current.books) {
          if (candidate.currency == currency) book = &candidate;
        }
        if (book == nullptr) {
          current.books.push_back(CurrencyBook{currency, {}, 0});
          book = &current.books.back();
        }
        book->invoices.push_back(OpenInvoice{invoice_id, due, open, disputed.count(invoice_id) != 0});
      });
  if (!streamed) return Fail(streamed.error());
  finish();

  std::vector<int64_t> open_amounts;
  for (const auto& entry : open_by_customer) open_amounts.push_back(entry.second);
  std::vector<char> sizes = ComputeSizeSegments(open_amounts);
  for (size_t i = 0; i < sizes.size(); ++i) portfolio.customers[i].size_segment = std::string(1, sizes[i]);

  auto customer_for = [&](int64_t id) -> CustomerState* {
    auto found = index_of.find(id);
    return found == index_of.end() ? nullptr : &portfolio.customers[found->second];
  };
  if (auto ok = ForEachRow(database,
                           "SELECT customer_id, id, promised_date FROM promises WHERE tenant_id = CAST(? AS BIGINT) AND "
                           "status = 'open' ORDER BY promised_date",
                           {tenant}, [&](const Statement& row) {
                             if (CustomerState* customer = customer_for(row.GetInt64(0))) {
                               customer->promise = PromiseState{ParseStoredDate(row.GetText(2)), false};
                               customer->promise_id = row.GetInt64(1);
                             }
                           });
      !ok) {
    return Fail(ok.error());
  }
  // Consent: a usable, consented contact point opens its channels. Consent
  // given by the debtor (not just imported by the business) also counts as
  // the debtor's own authorisation, which some rulebooks demand.
  if (auto ok = ForEachRow(database,
                           "SELECT customer_id, channel, consent_source FROM contact_points WHERE "
                           "tenant_id = CAST(? AS BIGINT) AND consent = 'granted' AND usable = 1",
                           {tenant}, [&](const Statement& row) {
                             CustomerState* customer = customer_for(row.GetInt64(0));
                             if (customer == nullptr) return;
                             const std::string_view channel = row.GetText(1);
                             const bool by_debtor = row.GetText(2) != "import";
                             auto open = [&](Channel engine_channel) {
                               customer->channel_allowed[ChannelIndex(engine_channel)] = true;
                               if (by_debtor) customer->authorised_by_debtor.Add(static_cast<compliance::Channel>(engine_channel));
                             };
                             if (channel == "email") open(Channel::kEmail);
                             if (channel == "phone") {
                               open(Channel::kSms);
                               open(Channel::kCall);
                             }
                             if (channel == "whatsapp") open(Channel::kWhatsapp);
                           });
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = ForEachRow(database,
                           "SELECT id FROM customers WHERE tenant_id = CAST(? AS BIGINT) AND address IS NOT NULL",
                           {tenant}, [&](const Statement& row) {
                             if (CustomerState* customer = customer_for(row.GetInt64(0))) {
                               customer->channel_allowed[ChannelIndex(Channel::kLetter)] = true;
                               customer->authorised_by_debtor.Add(compliance::Channel::kLetter);
                             }
                           });
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = ForEachRow(database,
                           "SELECT customer_id, stage, MAX(business_date) FROM outbox WHERE tenant_id = CAST(? AS BIGINT) "
                           "GROUP BY customer_id, stage",
                           {tenant}, [&](const Statement& row) {
                             if (CustomerState* customer = customer_for(row.GetInt64(0))) {
                               customer->last_fired.emplace_back(std::string(row.GetText(1)),
                                                                 ParseStoredDate(row.GetText(2)));
                             }
                           });
      !ok) {
    return Fail(ok.error());
  }
  // Contacts count from the delivery records: a sent message was
  // delivered, an answered call was a conversation; what is queued or of
  // unknown fate counts as an attempt (conservative: it may still happen).
  const std::string since = FormatUtc(now - std::chrono::days(kContactLookbackDays));
  if (auto ok = ForEachRow(
          database,
          "SELECT customer_id, channel, COALESCE(sent_at, scheduled_at), outcome, status FROM outbox WHERE "
          "tenant_id = CAST(? AS BIGINT) AND channel IS NOT NULL AND status NOT IN ('cancelled', 'failed', 'skipped', "
          "'blocked') AND COALESCE(sent_at, scheduled_at) >= ? ORDER BY COALESCE(sent_at, scheduled_at)",
          {tenant, since}, [&](const Statement& row) {
            CustomerState* customer = customer_for(row.GetInt64(0));
            auto channel = ParseChannel(row.GetText(1));
            auto at = ParseUtc(row.GetText(2));
            if (customer == nullptr || !channel || !at) return;
            const std::string outcome = row.IsNull(3) ? "" : std::string(row.GetText(3));
            const std::string_view status = row.GetText(4);
            const bool conversation = IsConversationOutcome(outcome);
            const bool delivered = status == "sent" || status == "delivered";
            customer->contacts.push_back({static_cast<compliance::Channel>(*channel), *at,
                                          conversation ? compliance::ContactKind::kConversation
                                          : delivered  ? compliance::ContactKind::kDelivered
                                                       : compliance::ContactKind::kAttempt});
            if (!outcome.empty()) customer->answered_last_contact = conversation;
          });
      !ok) {
    return Fail(ok.error());
  }
  // Responsiveness: of the contacts that really happened in the last year,
  // how many got an answer (a call conversation) or a payment within a week.
  const std::string contact_at = "COALESCE(o.sent_at, o.outcome_at)";
  std::string conversations;
  for (std::string_view outcome : kConversationOutcomes) {
    conversations += fmt::format("{}'{}'", conversations.empty() ? "" : ", ", outcome);
  }
  if (auto ok = ForEachRow(
          database,
          fmt::format("SELECT o.customer_id, o.channel, COUNT(*), SUM(CASE WHEN o.outcome IN ({3}) OR EXISTS "
                      "(SELECT 1 FROM payments p WHERE p.tenant_id = o.tenant_id AND p.customer_id = o.customer_id "
                      "AND p.date >= {0} AND p.date <= {1}) THEN 1 ELSE 0 END) "
                      "FROM outbox o WHERE o.tenant_id = CAST(? AS BIGINT) AND o.channel IS NOT NULL AND "
                      "(o.status IN ('sent', 'delivered') OR o.outcome IS NOT NULL) AND {2} >= ? "
                      "GROUP BY o.customer_id, o.channel",
                      SqlDateOfTimestampPlusDays(database.dialect(), contact_at, 0),
                      SqlDateOfTimestampPlusDays(database.dialect(), contact_at, kResponseWindowDays), contact_at,
                      conversations),
          {tenant, FormatUtc(now - std::chrono::days(365))}, [&](const Statement& row) {
            CustomerState* customer = customer_for(row.GetInt64(0));
            auto channel = ParseChannel(row.GetText(1));
            const int64_t contacts = row.GetInt64(2);
            if (customer == nullptr || !channel || contacts == 0) return;
            customer->responsiveness_percent[ChannelIndex(*channel)] =
                static_cast<int32_t>(row.GetInt64(3) * 100 / contacts);
          });
      !ok) {
    return Fail(ok.error());
  }
  return portfolio;
}

}  // namespace cartera
