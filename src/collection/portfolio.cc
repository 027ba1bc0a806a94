#include "collection/portfolio.h"

#include "collection/held_invoices.h"

#include <algorithm>
#include <array>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "collection/records.h"
#include "store/payment_history.h"
#include "core/time_zone.h"
#include "store/sql_dialect.h"

namespace cartera {
namespace {

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

struct ConsentRow {
  int64_t customer_id = 0;
  std::string kind;  // the contact point's channel
  std::string consent_source;
};

struct Consents {
  std::vector<ConsentRow> rows;
  Status status;
};

Consents ReadConsents(Database& database, const std::string& tenant, const std::string& only) {
  Consents consents;
  consents.status = ForEachRow(
      database,
      fmt::format("SELECT customer_id, channel, consent_source FROM contact_points WHERE tenant_id = CAST(? AS "
                  "BIGINT) AND {}{} ORDER BY customer_id",
                  kUsableConsentedPoint, only),
      {tenant}, [&](const Statement& row) {
        consents.rows.push_back({row.GetInt64(0), std::string(row.GetText(1)), std::string(row.GetText(2))});
      });
  return consents;
}

// One customer's ABC size segment among all the tenant's debtors, as
// ComputeSizeSegments gives it over the whole portfolio: the customers
// ahead of it are those owing more, or as much with a smaller id.
// Amounts in different currencies are never added: the rank is within the
// currency.
Result<char> SizeSegmentInTenant(Database& database, const std::string& tenant, int64_t customer_id,
                                 const std::string& currency, int64_t open) {
  if (open <= 0) return 'C';
  WideMinor total = 0, ahead = 0;
  auto ok = ForEachRow(
      database,
      "SELECT customer_id, SUM(open_minor) FROM invoices WHERE tenant_id = CAST(? AS BIGINT) AND open_minor > 0 "
      "AND currency = ? GROUP BY customer_id",
      {tenant, currency}, [&](const Statement& row) {
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

namespace {

// Loads a portfolio in named steps; each reads one thing.
class PortfolioLoader {
 public:
  PortfolioLoader(Database& database, int64_t tenant_id, const PortfolioOptions& options)
      : database_(database), options_(options), tenant_(std::to_string(tenant_id)) {
    portfolio_.tenant_id = tenant_id;
  }

  Result<Portfolio> Load() {
    if (options_.strategy != nullptr) {
      portfolio_.strategy_name = options_.strategy->name;
      portfolio_.strategy = *options_.strategy;
    } else {
      auto strategy = LoadActiveStrategy(database_, portfolio_.tenant_id);
      if (!strategy) return Fail(strategy.error());
      portfolio_.strategy_name = strategy->first;
      portfolio_.strategy = std::move(strategy->second);
    }
    if (options_.only_customer) {
      auto found = NarrowToCustomer();
      if (!found) return Fail(found.error());
      if (!*found) return std::move(portfolio_);
    }
    if (auto ok = ReadDisputes(); !ok) return Fail(ok.error());
    if (auto ok = ReadBrokenPromiseCounts(); !ok) return Fail(ok.error());
    // The consented contact points are a table as large as the open
    // invoices: read beside them on a second connection when there is one.
    std::thread consent_reader;
    Result<std::unique_ptr<Database>> other = Fail(Error::NotFound("no second connection"));
    if (only_.empty()) other = database_.OpenAnother();
    if (other) {
      consent_reader = std::thread([this, other = std::move(*other)]() mutable {
        consents_ = ReadConsents(*other, tenant_, only_);
      });
    } else {
      consents_ = ReadConsents(database_, tenant_, only_);
    }
    // Joined on every way out, so the reader never outlives what it writes to.
    struct JoinOnExit {
      std::thread& thread;
      ~JoinOnExit() {
        if (thread.joinable()) thread.join();
      }
    } join_on_exit{consent_reader};
    if (auto ok = ReadSettledHistory(); !ok) return Fail(ok.error());
    if (auto ok = ReadSettledAfterAsOf(); !ok) return Fail(ok.error());
    if (auto ok = StreamOpenInvoices(); !ok) return Fail(ok.error());
    if (auto ok = RankSizeSegments(); !ok) return Fail(ok.error());
    if (auto ok = ReadPromises(); !ok) return Fail(ok.error());
    if (auto ok = ReadPlanInstallments(); !ok) return Fail(ok.error());
    if (auto ok = ReadBrokenPlans(); !ok) return Fail(ok.error());
    if (consent_reader.joinable()) consent_reader.join();
    if (auto ok = ApplyConsents(); !ok) return Fail(ok.error());
    if (auto ok = ReadDebtorHours(); !ok) return Fail(ok.error());
    if (auto ok = ReadLastFired(); !ok) return Fail(ok.error());
    if (auto ok = ReadContacts(); !ok) return Fail(ok.error());
    if (auto ok = ReadResponsiveness(); !ok) return Fail(ok.error());
    return std::move(portfolio_);
  }

 private:
  // Every query below narrowed to one customer (`customer_id` is
  // unambiguous in each). false: no such customer.
  Result<bool> NarrowToCustomer() {
    std::optional<int64_t> id;
    if (auto ok = ForEachRow(database_, "SELECT id FROM customers WHERE tenant_id = CAST(? AS BIGINT) AND external_id = ?",
                             {tenant_, *options_.only_customer}, [&](const Statement& row) { id = row.GetInt64(0); });
        !ok) {
      return Fail(ok.error());
    }
    if (!id) return false;
    only_id_ = *id;
    only_ = fmt::format(" AND customer_id = {}", *id);
    return true;
  }

  // The customer's business date: the run's as-of date, else its today.
  Date BusinessDate(const std::string& time_zone) {
    if (options_.as_of) return *options_.as_of;
    auto zone = today_by_zone_.find(time_zone);
    if (zone == today_by_zone_.end()) {
      const std::string_view valid = IsKnownTimeZone(time_zone) ? std::string_view(time_zone) : "UTC";
      zone = today_by_zone_.emplace(time_zone, DateIn(valid, options_.now)).first;
    }
    return zone->second;
  }

  // The latest business date any customer can have: what the SQL bounds by.
  Date LatestBusinessDate() const {
    return options_.as_of ? *options_.as_of : DateIn("Pacific/Kiritimati", options_.now);  // UTC+14
  }

  Status ReadDisputes() {
    return ForEachRow(database_, HeldInvoicesSql(only_), {tenant_}, [&](const Statement& row) {
      const HeldReason reason = HeldReasonOf(row.GetText(1));
      auto [held, added] = disputed_.try_emplace(row.GetInt64(0), reason, row.GetInt64(2));
      // A dispute or a case held besides a plan wins: the plan's messages never name it.
      if (!added && reason != HeldReason::kPaymentPlan) held->second = {reason, 0};
    });
  }

  Status ReadBrokenPromiseCounts() {
    return ForEachRow(database_,
                      "SELECT customer_id, COUNT(*) FROM promises WHERE tenant_id = CAST(? AS BIGINT) AND "
                      "status = 'broken'" + only_ + " GROUP BY customer_id",
                      {tenant_}, [&](const Statement& row) {
                        broken_promises_[row.GetInt64(0)] = static_cast<int32_t>(row.GetInt64(1));
                      });
  }

  // Settled invoices, summed per customer and currency by the ledger; on a
  // grace the stored figures were not summed with, from the invoices.
  Status ReadSettledHistory() {
    const int32_t grace_days = portfolio_.strategy.segment_thresholds.grace_days;
    auto stored_grace = StoredHistoryGraceDays(database_, portfolio_.tenant_id);
    if (!stored_grace) return Fail(stored_grace.error());
    if (*stored_grace != grace_days && options_.rebuild_history) {
      auto transaction = Transaction::Begin(database_);
      if (!transaction) return Fail(transaction.error());
      if (auto ok = LockTenantLedger(database_, portfolio_.tenant_id); !ok) return ok;
      if (auto ok = RebuildPaymentHistory(database_, portfolio_.tenant_id, grace_days); !ok) return ok;
      if (auto ok = transaction->Commit(); !ok) return ok;
      stored_grace = std::optional<int32_t>(grace_days);
    }
    return ForEachRow(database_,
                      *stored_grace == grace_days
                          ? "SELECT customer_id, currency, settled_invoices, settled_amount_minor, settled_late, "
                            "settled_days_late FROM payment_history WHERE tenant_id = CAST(? AS BIGINT)" +
                                only_ + " ORDER BY customer_id, currency"
                          : PaymentHistoryFromInvoicesSql(database_.dialect(), grace_days, only_),
                      {tenant_}, [&](const Statement& row) {
                        settled_rows_.push_back({row.GetInt64(0), std::string(row.GetText(1)),
                                                 SettledHistory{row.GetInt64(2), row.GetInt64(3), row.GetInt64(4),
                                                                row.GetInt64(5)}});
                      });
  }

  // The invoice columns both invoice reads select: the open amount as the
  // ledger stood on the bound (recomputed from allocations only for an
  // invoice whose balance moved after it, as aging --as-of does).
  std::string InvoiceSql(std::string_view which) const {
    return fmt::format(
        "SELECT c.id, c.external_id, c.name, c.country, c.kind, c.time_zone, c.language, i.id, i.currency, "
        "i.due_date, i.amount_minor, CASE WHEN i.last_allocation_date IS NULL OR i.last_allocation_date <= ? THEN "
        "i.open_minor ELSE i.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE "
        "a.tenant_id = i.tenant_id AND a.invoice_id = i.id AND a.date <= ?), 0) END, CASE WHEN c.address IS NULL OR "
        "c.address = '' THEN 0 ELSE 1 END, i.issue_date FROM invoices i JOIN customers c ON c.tenant_id = "
        "i.tenant_id AND c.id = i.customer_id WHERE i.tenant_id = CAST(? AS BIGINT) AND i.issue_date <= ? AND {}{} "
        // The order of invoices_open on SQLite: no sort.
        "ORDER BY i.customer_id, i.currency, i.due_date",
        which, only_);
  }

  struct InvoiceRow {
    int64_t customer_id = 0;
    std::string external_id, name, country, kind, time_zone, language;
    int64_t invoice_id = 0;
    std::string currency;
    Date due_date, issue_date;
    int64_t amount_minor = 0, open_minor = 0;
    bool has_address = false;
  };

  Status ReadInvoices(std::string_view which, const std::function<void(InvoiceRow&)>& each) {
    const std::string bound = LatestBusinessDate().ToIso();
    std::vector<std::string> parameters{bound, bound, tenant_, bound};
    if (which.find('?') != std::string_view::npos) parameters.push_back(bound);
    InvoiceRow invoice;
    return ForEachRow(database_, InvoiceSql(which), parameters, [&](const Statement& row) {
      // Rows come in customer order: the customer's columns are copied once
      // per customer, not once per invoice (millions of rows).
      if (const int64_t customer_id = row.GetInt64(0); customer_id != invoice.customer_id) {
        invoice.customer_id = customer_id;
        invoice.external_id = row.GetText(1);
        invoice.name = row.GetText(2);
        invoice.country = row.GetText(3);
        invoice.kind = row.GetText(4);
        invoice.time_zone = row.GetText(5);
        invoice.language = row.GetText(6);
      }
      invoice.invoice_id = row.GetInt64(7);
      invoice.currency = row.GetText(8);
      invoice.due_date = ParseStoredDate(row.GetText(9));
      invoice.amount_minor = row.GetInt64(10);
      invoice.open_minor = row.GetInt64(11);
      invoice.has_address = row.GetInt64(12) != 0;
      invoice.issue_date = ParseStoredDate(row.GetText(13));
      each(invoice);
    });
  }

  // Invoices paid after the as-of date were still owed on it: few, read
  // first and merged into their customers as the open ones stream by.
  Status ReadSettledAfterAsOf() {
    if (!options_.as_of) return {};
    return ReadInvoices("i.open_minor = 0 AND i.last_allocation_date > ?",
                        [&](InvoiceRow& row) { settled_later_[row.customer_id].push_back(row); });
  }

  Status StreamOpenInvoices() {
    auto take = [&](const InvoiceRow& row) {
      if (row.customer_id != current_.id) {
        FinishCustomer();
        StartCustomer(row);
      }
      AddInvoice(row);
    };
    if (auto ok = ReadInvoices("i.open_minor <> 0", take); !ok) return ok;
    FinishCustomer();
    // Customers who owe nothing now but did on the as-of date.
    const bool appended = !settled_later_.empty();
    while (!settled_later_.empty()) {
      const std::vector<InvoiceRow> rows = std::move(settled_later_.begin()->second);
      settled_later_.erase(settled_later_.begin());
      StartCustomer(rows.front());
      for (const InvoiceRow& row : rows) AddInvoice(row);
      FinishCustomer();
    }
    if (appended) {
      std::sort(portfolio_.customers.begin(), portfolio_.customers.end(),
                [](const CustomerState& a, const CustomerState& b) { return a.id < b.id; });
    }
    return {};
  }

  void StartCustomer(const InvoiceRow& row) {
    current_ = CustomerState{};
    current_.id = row.customer_id;
    current_.external_id = row.external_id;
    current_.name = row.name;
    current_.country = row.country;
    current_.consumer = row.kind == "person";
    current_.time_zone = row.time_zone;
    current_.language = row.language;
    if (row.has_address) OpenPostalAddress(current_.access);
    current_today_ = BusinessDate(current_.time_zone);
    if (auto later = settled_later_.find(row.customer_id); later != settled_later_.end()) {
      merged_ = std::move(later->second);
      settled_later_.erase(later);
    }
  }

  void AddInvoice(const InvoiceRow& row) {
    if (row.issue_date > current_today_) return;  // not yet issued on this customer's business date
    unsettled_.push_back(PaymentRecord{row.due_date, row.amount_minor, row.open_minor, Date()});
    auto& [sum, count] = AmountsOf(row.currency);
    sum += row.amount_minor;
    ++count;
    if (row.open_minor <= 0) return;  // overpaid (or paid by then): nothing to collect
    auto book = std::find_if(current_.books.begin(), current_.books.end(),
                             [&](const CurrencyBook& candidate) { return candidate.currency == row.currency; });
    if (book == current_.books.end()) book = current_.books.insert(current_.books.end(), CurrencyBook{row.currency, {}, 0});
    OpenInvoice invoice{row.invoice_id, row.due_date, row.open_minor};
    if (auto held = disputed_.find(row.invoice_id); held != disputed_.end()) {
      invoice.disputed = true;
      invoice.held = held->second.first;
      invoice.plan_id = held->second.second;
    }
    book->invoices.push_back(invoice);
  }

  // Per currency, the sum and count of all the customer's invoices, settled
  // and open alike: the average invoice.
  std::pair<int64_t, int64_t>& AmountsOf(std::string_view currency) {
    auto found = std::find_if(amounts_by_currency_.begin(), amounts_by_currency_.end(),
                              [&](const auto& entry) { return entry.first == currency; });
    if (found != amounts_by_currency_.end()) return found->second;
    return amounts_by_currency_.emplace_back(std::string(currency), std::pair<int64_t, int64_t>{0, 0}).second;
  }

  void FinishCustomer() {
    if (current_.id == 0) return;
    std::vector<InvoiceRow> merged = std::move(merged_);
    merged_.clear();
    if (!merged.empty()) {
      for (const InvoiceRow& row : merged) AddInvoice(row);
      std::sort(current_.books.begin(), current_.books.end(),
                [](const CurrencyBook& a, const CurrencyBook& b) { return a.currency < b.currency; });
      for (CurrencyBook& book : current_.books) {
        std::sort(book.invoices.begin(), book.invoices.end(),
                  [](const OpenInvoice& a, const OpenInvoice& b) { return a.due_date < b.due_date; });
      }
    }
    while (next_settled_ < settled_rows_.size() && settled_rows_[next_settled_].customer_id < current_.id) ++next_settled_;
    SettledHistory settled;
    for (size_t at = next_settled_; at < settled_rows_.size() && settled_rows_[at].customer_id == current_.id; ++at) {
      const SettledRow& row = settled_rows_[at];
      settled.invoices += row.settled.invoices;
      settled.amount_minor += row.settled.amount_minor;
      settled.late += row.settled.late;
      settled.days_late += row.settled.days_late;
      auto& [sum, count] = AmountsOf(row.currency);
      sum += row.settled.amount_minor;
      count += row.settled.invoices;
    }
    auto found = broken_promises_.find(current_.id);
    current_.segment = ComputeSegment(settled, unsettled_, found == broken_promises_.end() ? 0 : found->second,
                                      current_today_, portfolio_.strategy.segment_thresholds);
    for (CurrencyBook& book : current_.books) {
      const auto [sum, count] = AmountsOf(book.currency);
      book.average_invoice_minor = count > 0 ? sum / count : 0;
    }
    if (!current_.books.empty()) portfolio_.customers.push_back(std::move(current_));
    current_ = CustomerState{};
    unsettled_.clear();
    amounts_by_currency_.clear();
  }

  // ABC by weight within each currency (amounts in different currencies are
  // never added); a customer takes its best letter over its currencies.
  Status RankSizeSegments() {
    std::vector<CustomerState>& customers = portfolio_.customers;
    if (options_.only_customer) {
      if (customers.empty()) return {};
      char best = 'C';
      for (const CurrencyBook& book : customers.front().books) {
        int64_t open = 0;
        for (const OpenInvoice& invoice : book.invoices) open += invoice.open_minor;
        auto size = SizeSegmentInTenant(database_, tenant_, customers.front().id, book.currency, open);
        if (!size) return Fail(size.error());
        best = std::min(best, *size);
      }
      customers.front().size_segment = std::string(1, best);
      return {};
    }
    std::map<std::string, std::vector<std::pair<size_t, int64_t>>> by_currency;
    for (size_t i = 0; i < customers.size(); ++i) {
      for (const CurrencyBook& book : customers[i].books) {
        int64_t open = 0;
        for (const OpenInvoice& invoice : book.invoices) open += invoice.open_minor;
        by_currency[book.currency].emplace_back(i, open);
      }
    }
    std::vector<char> best(customers.size(), 'C');
    for (const auto& [currency, entries] : by_currency) {
      std::vector<int64_t> amounts;
      amounts.reserve(entries.size());
      for (const auto& entry : entries) amounts.push_back(entry.second);
      const std::vector<char> sizes = ComputeSizeSegments(amounts);
      for (size_t k = 0; k < entries.size(); ++k) best[entries[k].first] = std::min(best[entries[k].first], sizes[k]);
    }
    for (size_t i = 0; i < customers.size(); ++i) customers[i].size_segment = std::string(1, best[i]);
    return {};
  }

  // The customers are in id order: found by bisection, no hash table.
  CustomerState* CustomerFor(int64_t id) {
    auto found = std::lower_bound(portfolio_.customers.begin(), portfolio_.customers.end(), id,
                                  [](const CustomerState& customer, int64_t wanted) { return customer.id < wanted; });
    return found == portfolio_.customers.end() || found->id != id ? nullptr : &*found;
  }

  // The open promise, or one broken recently enough that its follow-up's
  // window still runs (a cap or a Sunday on the day it broke must not lose
  // the follow-up). The latest promise wins.
  Status ReadPromises() {
    const Strategy& strategy = portfolio_.strategy;
    const Stage* follow_up = strategy.broken_promise ? &*strategy.broken_promise : nullptr;
    const int32_t window = follow_up && follow_up->window_days ? *follow_up->window_days : kBrokenPromiseWindowDays;
    const Date earliest = LatestBusinessDate().PlusDays(-(strategy.promise_grace_days + 1 + window));
    return ForEachRow(database_,
                      "SELECT customer_id, id, promised_date, status FROM promises WHERE tenant_id = CAST(? AS BIGINT) "
                      "AND (status = 'open' OR (status = 'broken' AND promised_date >= ?))" + only_ +
                          " ORDER BY promised_date, id",
                      {tenant_, earliest.ToIso()}, [&](const Statement& row) {
                        if (CustomerState* customer = CustomerFor(row.GetInt64(0))) {
                          customer->promise = PromiseState{ParseStoredDate(row.GetText(2)), row.GetText(3) == "broken"};
                          customer->promise_id = row.GetInt64(1);
                        }
                      });
  }

  // Installment reminders (engine payment_plan stages): the unpaid
  // installments of active plans whose stages can run on a business date
  // of this load, one query for every customer. `later` is the principal of
  // the plan's installments after each one: with the open amount of the
  // plan's invoices it tells what is still owed on it by today's ledger
  // (the run marks installments paid only at its end).
  Status ReadPlanInstallments() {
    const Strategy& strategy = portfolio_.strategy;
    if (!strategy.payment_plan || strategy.payment_plan->stages.empty()) return {};
    int32_t first_day = 0, last_ends = 0;
    for (const Stage& stage : strategy.payment_plan->stages) {
      first_day = std::min(first_day, stage.day);
      last_ends = std::max(last_ends, stage.day + std::max(stage.window_days.value_or(0), kPlanStageWindowDays));
    }
    // Business dates of this load lie within two days of the latest one (zones span 26 hours).
    const Date latest = LatestBusinessDate();
    const Date from = latest.PlusDays(-last_ends - 2);
    const Date to = latest.PlusDays(std::max(0, -first_day) + 1);
    return ForEachRow(
        database_,
        "SELECT p.customer_id, n.plan_id, n.number, n.due_date, n.amount_minor, (SELECT COALESCE(SUM(l.amount_minor), 0) "
        "FROM plan_installments l WHERE l.tenant_id = n.tenant_id AND l.plan_id = n.plan_id AND l.number > n.number) "
        "FROM payment_plans p JOIN plan_installments n ON n.tenant_id = p.tenant_id AND n.plan_id = p.id "
        "WHERE p.tenant_id = CAST(? AS BIGINT) AND p.status = 'active' AND n.status <> 'paid' AND n.due_date >= ? AND "
        "n.due_date <= ?" + only_ + " ORDER BY p.customer_id, n.due_date, n.plan_id, n.number",
        {tenant_, from.ToIso(), to.ToIso()}, [&](const Statement& row) {
          if (CustomerState* customer = CustomerFor(row.GetInt64(0))) {
            customer->installments.push_back(PlanInstallment{row.GetInt64(1), static_cast<int32_t>(row.GetInt64(2)),
                                                             ParseStoredDate(row.GetText(3)), row.GetInt64(4),
                                                             row.GetInt64(5)});
          }
        });
  }

  // The latest plan broken recently enough that its follow-up's window
  // still runs (like ReadPromises for a broken promise).
  Status ReadBrokenPlans() {
    const Strategy& strategy = portfolio_.strategy;
    if (!strategy.payment_plan || !strategy.payment_plan->broken_plan) return {};
    const Stage& follow_up = *strategy.payment_plan->broken_plan;
    const int32_t window = follow_up.window_days ? *follow_up.window_days : kBrokenPlanWindowDays;
    const Date earliest = LatestBusinessDate().PlusDays(-(window + 2));
    return ForEachRow(database_,
                      "SELECT customer_id, id, ended_on, currency FROM payment_plans WHERE tenant_id = CAST(? AS BIGINT) "
                      "AND status = 'broken' AND ended_on >= ?" + only_ + " ORDER BY ended_on, id",
                      {tenant_, earliest.ToIso()}, [&](const Statement& row) {
                        if (CustomerState* customer = CustomerFor(row.GetInt64(0))) {
                          customer->broken_plan =
                              BrokenPlan{row.GetInt64(1), ParseStoredDate(row.GetText(2)), std::string(row.GetText(3))};
                        }
                      });
  }

  Status ApplyConsents() {
    if (!consents_.status) return consents_.status;
    for (const ConsentRow& consent : consents_.rows) {
      if (CustomerState* customer = CustomerFor(consent.customer_id)) {
        OpenContactPoint(customer->access, consent.kind, consent.consent_source);
      }
    }
    return {};
  }

  // The windows debtors chose to be contacted in (few customers have one).
  Status ReadDebtorHours() {
    return ForEachRow(database_,
                      "SELECT id, attributes FROM customers WHERE tenant_id = CAST(? AS BIGINT) AND attributes LIKE "
                      "'%quiet_hours%'" + (only_id_ ? fmt::format(" AND id = {}", *only_id_) : std::string()),
                      {tenant_}, [&](const Statement& row) {
                        if (CustomerState* customer = CustomerFor(row.GetInt64(0))) {
                          customer->access.debtor_hours = DebtorHoursOf(row.GetText(1));
                        }
                      });
  }

  Status ReadLastFired() {
    return ForEachRow(database_,
                      "SELECT customer_id, stage, MAX(business_date) FROM outbox WHERE tenant_id = CAST(? AS BIGINT)" +
                          only_ + " GROUP BY customer_id, stage",
                      {tenant_}, [&](const Statement& row) {
                        if (CustomerState* customer = CustomerFor(row.GetInt64(0))) {
                          customer->last_fired.emplace_back(std::string(row.GetText(1)), ParseStoredDate(row.GetText(2)));
                        }
                      });
  }

  // The contacts, as the contact history counts them for planning.
  Status ReadContacts() {
    const Timestamp since = options_.now - std::chrono::days(kContactLookbackDays);
    return ForEachContact(database_, portfolio_.tenant_id, only_id_, since, ContactView::kPlanning,
                          [&](int64_t customer_id, const compliance::PastContact& contact, std::string_view outcome) {
                            CustomerState* customer = CustomerFor(customer_id);
                            if (customer == nullptr) return;
                            customer->contacts.push_back(contact);
                            if (!outcome.empty()) customer->answered_last_contact = IsConversationOutcome(outcome);
                          });
  }

  // Responsiveness: of the contacts that really happened in the last year,
  // how many got an answer (a call conversation) or a payment within a week.
  Status ReadResponsiveness() {
    const std::string contact_at = "COALESCE(o.sent_at, o.outcome_at)";
    std::string conversations;
    for (std::string_view outcome : kConversationOutcomes) {
      conversations += fmt::format("{}'{}'", conversations.empty() ? "" : ", ", outcome);
    }
    return ForEachRow(
        database_,
        fmt::format("SELECT o.customer_id, o.channel, COUNT(*), SUM(CASE WHEN o.outcome IN ({3}) OR EXISTS "
                    "(SELECT 1 FROM payments p WHERE p.tenant_id = o.tenant_id AND p.customer_id = o.customer_id "
                    "AND p.date >= {0} AND p.date <= {1}) THEN 1 ELSE 0 END) "
                    "FROM outbox o WHERE o.tenant_id = CAST(? AS BIGINT) AND o.channel IS NOT NULL AND "
                    "(o.status IN ('sent', 'delivered') OR o.outcome IS NOT NULL) AND {2} >= ?{4} "
                    "GROUP BY o.customer_id, o.channel",
                    SqlDateOfTimestampPlusDays(database_.dialect(), contact_at, 0),
                    SqlDateOfTimestampPlusDays(database_.dialect(), contact_at, kResponseWindowDays), contact_at,
                    conversations, only_),
        {tenant_, FormatUtc(options_.now - std::chrono::days(365))}, [&](const Statement& row) {
          CustomerState* customer = CustomerFor(row.GetInt64(0));
          auto channel = ParseChannel(row.GetText(1));
          const int64_t contacts = row.GetInt64(2);
          if (customer == nullptr || !channel || contacts == 0) return;
          customer->responsiveness_percent[static_cast<size_t>(*channel) - 1] =
              static_cast<int32_t>(row.GetInt64(3) * 100 / contacts);
        });
  }

  struct SettledRow {
    int64_t customer_id = 0;
    std::string currency;
    SettledHistory settled;
  };

  Database& database_;
  const PortfolioOptions& options_;
  const std::string tenant_;
  Portfolio portfolio_;
  std::string only_;
  std::optional<int64_t> only_id_;
  std::unordered_map<int64_t, std::pair<HeldReason, int64_t>> disputed_;  // held invoice -> why, its plan
  std::unordered_map<int64_t, int32_t> broken_promises_;
  Consents consents_;
  std::vector<SettledRow> settled_rows_;  // in customer order
  size_t next_settled_ = 0;
  std::map<int64_t, std::vector<InvoiceRow>> settled_later_;
  std::vector<InvoiceRow> merged_;
  CustomerState current_;
  Date current_today_;
  std::vector<PaymentRecord> unsettled_;
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> amounts_by_currency_;
  std::unordered_map<std::string, Date> today_by_zone_;
};

}  // namespace

Timestamp EndOfBusinessDate(Date business_date) { return LocalTimeToUtc("UTC", business_date.PlusDays(1), 0); }

Result<Portfolio> LoadPortfolio(Database& database, int64_t tenant_id, const PortfolioOptions& options) {
  return PortfolioLoader(database, tenant_id, options).Load();
}

}  // namespace cartera
