#include "collection/portfolio.h"

#include <algorithm>
#include <array>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "collection/records.h"
#include "store/payment_history.h"
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

struct ConsentRow {
  int64_t customer_id = 0;
  // The engine channels the contact point opens (a phone: SMS and calls).
  std::array<Channel, 2> channels{Channel::kBest, Channel::kBest};
  bool by_debtor = false;
};

struct Consents {
  std::vector<ConsentRow> rows;
  Status status;
};

Consents ReadConsents(Database& database, const std::string& tenant, const std::string& only) {
  Consents consents;
  consents.status = ForEachRow(
      database,
      "SELECT customer_id, channel, consent_source FROM contact_points WHERE tenant_id = CAST(? AS BIGINT) AND "
      "consent = 'granted' AND usable = 1" + only + " ORDER BY customer_id",
      {tenant}, [&](const Statement& row) {
        ConsentRow consent;
        consent.customer_id = row.GetInt64(0);
        const std::string_view channel = row.GetText(1);
        if (channel == "email") consent.channels = {Channel::kEmail, Channel::kBest};
        if (channel == "phone") consent.channels = {Channel::kSms, Channel::kCall};
        if (channel == "whatsapp") consent.channels = {Channel::kWhatsapp, Channel::kBest};
        consent.by_debtor = row.GetText(2) != "import";
        consents.rows.push_back(consent);
      });
  return consents;
}

// One customer's ABC size segment among all the tenant's debtors, as
// ComputeSizeSegments gives it over the whole portfolio: the customers
// ahead of it are those owing more, or as much with a smaller id.
Result<char> SizeSegmentInTenant(Database& database, const std::string& tenant, int64_t customer_id, int64_t open) {
  if (open <= 0) return 'C';
  WideMinor total = 0, ahead = 0;
  auto ok = ForEachRow(
      database,
      "SELECT customer_id, SUM(open_minor) FROM invoices WHERE tenant_id = CAST(? AS BIGINT) AND open_minor > 0 "
      "GROUP BY customer_id",
      {tenant}, [&](const Statement& row) {
        const int64_t other = row.GetInt64(0), owed = row.GetInt64(1);
        total += owed;
        if (owed > open || (owed == open && other < customer_id)) ahead += owed;
      });
  if (!ok) return Fail(ok.error());
  return SizeSegmentAt(ahead, total);
}

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

Result<Portfolio> LoadPortfolio(Database& database, int64_t tenant_id, Timestamp now, bool rebuild_history,
                                std::optional<std::string_view> only_customer) {
  Portfolio portfolio;
  portfolio.tenant_id = tenant_id;
  auto strategy = LoadActiveStrategy(database, tenant_id);
  if (!strategy) return Fail(strategy.error());
  portfolio.strategy_name = strategy->first;
  portfolio.strategy = std::move(strategy->second);
  const std::string tenant = std::to_string(tenant_id);
  // One customer (explain): every query narrowed to it by this clause.
  // `customer_id` is unambiguous in every query below.
  std::string only;
  if (only_customer) {
    std::optional<int64_t> id;
    if (auto ok = ForEachRow(database,
                             "SELECT id FROM customers WHERE tenant_id = CAST(? AS BIGINT) AND external_id = ?",
                             {tenant, std::string(*only_customer)}, [&](const Statement& row) { id = row.GetInt64(0); });
        !ok) {
      return Fail(ok.error());
    }
    if (!id) return portfolio;
    only = fmt::format(" AND customer_id = {}", *id);
  }

  std::unordered_set<int64_t> disputed;
  if (auto ok = ForEachRow(database,
                           "SELECT invoice_id FROM disputes WHERE tenant_id = CAST(? AS BIGINT) AND status = 'open'" + only,
                           {tenant}, [&](const Statement& row) { disputed.insert(row.GetInt64(0)); });
      !ok) {
    return Fail(ok.error());
  }
  std::unordered_map<int64_t, int32_t> broken_promises;
  if (auto ok = ForEachRow(database,
                           "SELECT customer_id, COUNT(*) FROM promises WHERE tenant_id = CAST(? AS BIGINT) AND "
                           "status = 'broken'" + only + " GROUP BY customer_id",
                           {tenant}, [&](const Statement& row) {
                             broken_promises[row.GetInt64(0)] = static_cast<int32_t>(row.GetInt64(1));
                           });
      !ok) {
    return Fail(ok.error());
  }

  // The consented contact points, read beside the invoices on a second
  // connection when the database offers one (they are a table as large as
  // the open invoices).
  Consents consents;
  std::thread consent_reader;
  // (One customer's are read inline: a second connection would cost more.)
  Result<std::unique_ptr<Database>> other = Fail(Error::NotFound("no second connection"));
  if (only.empty()) other = database.OpenAnother();
  if (other) {
    consent_reader = std::thread([&consents, other = std::move(*other), tenant, only]() mutable {
      consents = ReadConsents(*other, tenant, only);
    });
  } else {
    consents = ReadConsents(database, tenant, only);
  }
  // Joined on every way out, so the reader never outlives what it writes to.
  struct JoinOnExit {
    std::thread& thread;
    ~JoinOnExit() {
      if (thread.joinable()) thread.join();
    }
  } join_on_exit{consent_reader};

  // Settled invoices, summed per customer and currency by the ledger; on a
  // grace the stored figures were not summed with, from the invoices.
  const int32_t grace_days = portfolio.strategy.segment_thresholds.grace_days;
  auto stored_grace = StoredHistoryGraceDays(database, tenant_id);
  if (!stored_grace) return Fail(stored_grace.error());
  if (*stored_grace != grace_days && rebuild_history) {
    auto transaction = Transaction::Begin(database);
    if (!transaction) return Fail(transaction.error());
    if (auto ok = LockTenantLedger(database, tenant_id); !ok) return Fail(ok.error());
    if (auto ok = RebuildPaymentHistory(database, tenant_id, grace_days); !ok) return Fail(ok.error());
    if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
    stored_grace = std::optional<int32_t>(grace_days);
  }
  struct SettledRow {
    int64_t customer_id = 0;
    std::string currency;
    SettledHistory settled;
  };
  std::vector<SettledRow> settled_rows;  // in customer order
  if (auto ok = ForEachRow(database,
                           *stored_grace == grace_days
                               ? "SELECT customer_id, currency, settled_invoices, settled_amount_minor, settled_late, "
                                 "settled_days_late FROM payment_history WHERE tenant_id = CAST(? AS BIGINT)" +
                                     only + " ORDER BY customer_id, currency"
                               : PaymentHistoryFromInvoicesSql(database.dialect(), grace_days, only),
                           {tenant}, [&](const Statement& row) {
                             settled_rows.push_back({row.GetInt64(0), std::string(row.GetText(1)),
                                                     SettledHistory{row.GetInt64(2), row.GetInt64(3), row.GetInt64(4),
                                                                    row.GetInt64(5)}});
                           });
      !ok) {
    return Fail(ok.error());
  }

  // The open invoices, in customer order; merged with the settled figures.
  std::vector<std::pair<int64_t, int64_t>> open_by_customer;  // for size segments
  CustomerState current;
  std::vector<PaymentRecord> unsettled;
  // Per currency, the sum and count of all the customer's invoices, settled
  // and open alike: the average invoice.
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> amounts_by_currency;
  auto amounts_of = [&](std::string_view currency) -> std::pair<int64_t, int64_t>& {
    auto found = std::find_if(amounts_by_currency.begin(), amounts_by_currency.end(),
                              [&](const auto& entry) { return entry.first == currency; });
    if (found != amounts_by_currency.end()) return found->second;
    return amounts_by_currency.emplace_back(std::string(currency), std::pair<int64_t, int64_t>{0, 0}).second;
  };
  size_t next_settled = 0;
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
    while (next_settled < settled_rows.size() && settled_rows[next_settled].customer_id < current.id) ++next_settled;
    SettledHistory settled;
    for (size_t at = next_settled; at < settled_rows.size() && settled_rows[at].customer_id == current.id; ++at) {
      const SettledRow& row = settled_rows[at];
      settled.invoices += row.settled.invoices;
      settled.amount_minor += row.settled.amount_minor;
      settled.late += row.settled.late;
      settled.days_late += row.settled.days_late;
      auto& [sum, count] = amounts_of(row.currency);
      sum += row.settled.amount_minor;
      count += row.settled.invoices;
    }
    auto found = broken_promises.find(current.id);
    current.segment = ComputeSegment(settled, unsettled, found == broken_promises.end() ? 0 : found->second, today,
                                     portfolio.strategy.segment_thresholds);
    int64_t open_total = 0;
    for (CurrencyBook& book : current.books) {
      const auto [sum, count] = amounts_of(book.currency);
      book.average_invoice_minor = count > 0 ? sum / count : 0;
      for (const OpenInvoice& invoice : book.invoices) open_total += invoice.open_minor;
    }
    if (!current.books.empty()) {
      open_by_customer.emplace_back(current.id, open_total);
      portfolio.customers.push_back(std::move(current));
    }
    current = CustomerState{};
    unsettled.clear();
    amounts_by_currency.clear();
  };
  auto streamed = ForEachRow(
      database,
      "SELECT c.id, c.external_id, c.name, c.country, c.kind, c.time_zone, c.language, i.id, i.currency, i.due_date, "
      "i.amount_minor, i.open_minor, CASE WHEN c.address IS NULL THEN 0 ELSE 1 END FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND "
      "c.id = i.customer_id WHERE i.tenant_id = CAST(? AS BIGINT) AND i.open_minor <> 0" + only + " "
      // The order of invoices_open on SQLite: no sort.
      "ORDER BY i.customer_id, i.currency, i.due_date",
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
          // A postal address is what a letter needs, and the debtor's own.
          if (row.GetInt64(12) != 0) {
            current.channel_allowed[ChannelIndex(Channel::kLetter)] = true;
            current.authorised_by_debtor.Add(compliance::Channel::kLetter);
          }
        }
        const std::string_view currency = row.GetText(8);
        const Date due = ParseStoredDate(row.GetText(9));
        const int64_t amount = row.GetInt64(10), open = row.GetInt64(11);
        unsettled.push_back(PaymentRecord{due, amount, open, Date()});
        auto& [sum, count] = amounts_of(currency);
        sum += amount;
        ++count;
        if (open < 0) return;  // overpaid: nothing to collect
        const int64_t invoice_id = row.GetInt64(7);
        if (current.books.empty() || current.books.back().currency != currency) {
          current.books.push_back(CurrencyBook{std::string(currency), {}, 0});
        }
        current.books.back().invoices.push_back(OpenInvoice{invoice_id, due, open, disputed.count(invoice_id) != 0});
      });
  if (!streamed) return Fail(streamed.error());
  finish();

  if (only_customer) {
    if (!portfolio.customers.empty()) {
      auto size = SizeSegmentInTenant(database, tenant, portfolio.customers.front().id, open_by_customer.front().second);
      if (!size) return Fail(size.error());
      portfolio.customers.front().size_segment = std::string(1, *size);
    }
  } else {
    std::vector<int64_t> open_amounts;
    for (const auto& entry : open_by_customer) open_amounts.push_back(entry.second);
    std::vector<char> sizes = ComputeSizeSegments(open_amounts);
    for (size_t i = 0; i < sizes.size(); ++i) portfolio.customers[i].size_segment = std::string(1, sizes[i]);
  }

  // The customers are in id order: found by bisection, no hash table.
  auto customer_for = [&](int64_t id) -> CustomerState* {
    auto found = std::lower_bound(portfolio.customers.begin(), portfolio.customers.end(), id,
                                  [](const CustomerState& customer, int64_t wanted) { return customer.id < wanted; });
    return found == portfolio.customers.end() || found->id != id ? nullptr : &*found;
  };
  if (auto ok = ForEachRow(database,
                           "SELECT customer_id, id, promised_date FROM promises WHERE tenant_id = CAST(? AS BIGINT) AND "
                           "status = 'open'" + only + " ORDER BY promised_date",
                           {tenant}, [&](const Statement& row) {
                             if (CustomerState* customer = customer_for(row.GetInt64(0))) {
                               customer->promise = PromiseState{ParseStoredDate(row.GetText(2)), false};
                               customer->promise_id = row.GetInt64(1);
                             }
                           });
      !ok) {
    return Fail(ok.error());
  }
  // Consent, read on the second connection while this one streamed the
  // invoices: a usable, consented contact point opens its channels. Consent
  // given by the debtor (not just imported by the business) also counts as
  // the debtor's own authorisation, which some rulebooks demand.
  if (consent_reader.joinable()) consent_reader.join();
  if (!consents.status) return Fail(consents.status.error());
  for (const ConsentRow& consent : consents.rows) {
    CustomerState* customer = customer_for(consent.customer_id);
    if (customer == nullptr) continue;
    auto open = [&](Channel engine_channel) {
      customer->channel_allowed[ChannelIndex(engine_channel)] = true;
      if (consent.by_debtor) customer->authorised_by_debtor.Add(static_cast<compliance::Channel>(engine_channel));
    };
    for (Channel channel : consent.channels) {
      if (channel != Channel::kBest) open(channel);
    }
  }
  if (auto ok = ForEachRow(database,
                           "SELECT customer_id, stage, MAX(business_date) FROM outbox WHERE tenant_id = CAST(? AS BIGINT)" +
                               only + " GROUP BY customer_id, stage",
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
          "'blocked') AND COALESCE(sent_at, scheduled_at) >= ?" + only + " ORDER BY COALESCE(sent_at, scheduled_at)",
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
                      "(o.status IN ('sent', 'delivered') OR o.outcome IS NOT NULL) AND {2} >= ?{4} "
                      "GROUP BY o.customer_id, o.channel",
                      SqlDateOfTimestampPlusDays(database.dialect(), contact_at, 0),
                      SqlDateOfTimestampPlusDays(database.dialect(), contact_at, kResponseWindowDays), contact_at,
                      conversations, only),
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
