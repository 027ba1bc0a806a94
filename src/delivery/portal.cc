#include "delivery/portal.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "collection/contact_history.h"
#include "collection/dispute_reasons.h"
#include "collection/records.h"
#include "compliance/contact_check.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "delivery/opt_out.h"
#include "delivery/signed_token.h"
#include "report/invoice_list.h"
#include "report/output.h"
#include "store/company_profile.h"

namespace cartera::delivery {
namespace {

// "sms" is how a debtor says its phone: SMS and calls share a number's consent.
std::string PointKind(std::string_view channel) { return channel == "sms" ? "phone" : std::string(channel); }

// The preferred channel kept in the customer's attributes (JSON), or nullopt.
Result<std::pair<nlohmann::json, std::optional<std::string>>> LoadAttributes(Database& database,
                                                                           const PortalCustomer& customer) {
  auto query = database.Prepare("SELECT attributes FROM customers WHERE tenant_id = ? AND id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, customer.tenant_id);
  (*query)->BindInt64(2, customer.customer_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  nlohmann::json attributes = nlohmann::json::object();
  if (*row && !(*query)->IsNull(0)) {
    attributes = nlohmann::json::parse((*query)->GetText(0), nullptr, false);
    if (!attributes.is_object()) attributes = nlohmann::json::object();
  }
  std::optional<std::string> preferred;
  if (auto found = attributes.find("preferred_channel"); found != attributes.end() && found->is_string()) {
    preferred = found->get<std::string>();
  }
  return std::make_pair(std::move(attributes), std::move(preferred));
}

struct Point {
  std::string channel, value, consent, consent_source;
  bool usable = true;
};

Result<std::vector<Point>> LoadPoints(Database& database, const PortalCustomer& customer) {
  auto query = database.Prepare(
      "SELECT channel, value, consent, consent_source, usable FROM contact_points WHERE tenant_id = ? AND "
      "customer_id = ? ORDER BY is_primary DESC, id");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, customer.tenant_id);
  (*query)->BindInt64(2, customer.customer_id);
  std::vector<Point> points;
  while (true) {
    auto row = (*query)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **query;
    points.push_back({std::string(r.GetText(0)), std::string(r.GetText(1)), std::string(r.GetText(2)),
                      std::string(r.GetText(3)), r.GetInt64(4) != 0});
  }
  return points;
}

std::string ClockText(int32_t minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

nlohmann::json WindowJson(const std::optional<compliance::TimeWindow>& window) {
  if (!window) return nullptr;
  return {{"from", ClockText(window->start_minute)}, {"to", ClockText(window->end_minute)}};
}

// The hours the debtor's rulebook allows a contact by any channel, by
// weekday ([0] = Sunday).
std::array<std::vector<compliance::TimeWindow>, 7> LegalHoursOf(const PortalCustomer& customer) {
  const compliance::Rulebook& rulebook = compliance::RulebookFor(
      customer.country, customer.consumer ? compliance::DebtorKind::kConsumer : compliance::DebtorKind::kBusiness);
  std::array<std::vector<compliance::TimeWindow>, 7> hours = compliance::LegalContactHours(rulebook, compliance::kEveryChannel[0]);
  for (compliance::Channel channel : compliance::kEveryChannel) {
    const std::array<std::vector<compliance::TimeWindow>, 7> legal = compliance::LegalContactHours(rulebook, channel);
    for (size_t weekday = 0; weekday < 7; ++weekday) {
      std::vector<compliance::TimeWindow> narrowed;
      for (const compliance::TimeWindow& a : legal[weekday]) {
        for (const compliance::TimeWindow& b : hours[weekday]) {
          const int32_t start = std::max(a.start_minute, b.start_minute);
          const int32_t end = std::min(a.end_minute, b.end_minute);
          if (start < end) narrowed.push_back(compliance::TimeWindow{start, end});
        }
      }
      hours[weekday] = std::move(narrowed);
    }
  }
  return hours;
}

// [{"days": ["mon", "tue", ...], "from": "07:00", "to": "19:00"}, ...]:
// each window with the days it holds on, Monday first.
nlohmann::json LegalHoursJson(const std::array<std::vector<compliance::TimeWindow>, 7>& hours) {
  static constexpr std::array<std::string_view, 7> kDays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  std::vector<std::pair<compliance::TimeWindow, std::vector<std::string_view>>> groups;
  for (size_t i = 1; i <= 7; ++i) {
    const size_t weekday = i % 7;
    for (const compliance::TimeWindow& window : hours[weekday]) {
      auto found = std::find_if(groups.begin(), groups.end(), [&](const auto& group) {
        return group.first.start_minute == window.start_minute && group.first.end_minute == window.end_minute;
      });
      if (found == groups.end()) {
        groups.push_back({window, {kDays[weekday]}});
      } else {
        found->second.push_back(kDays[weekday]);
      }
    }
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [window, days] : groups) {
    list.push_back({{"days", days}, {"from", ClockText(window.start_minute)}, {"to", ClockText(window.end_minute)}});
  }
  return list;
}

}  // namespace

std::optional<std::string> QuietHoursRefusal(std::string_view from, std::string_view to, Language language,
                                             std::string* field, compliance::TimeWindow* window) {
  auto refuse = [&](std::string_view name, std::string_view es, std::string_view en) -> std::optional<std::string> {
    if (field != nullptr) *field = name;
    return std::string(Tr(language, es, en));
  };
  const std::optional<int32_t> start = ParseClockMinute(from);
  if (!start) return refuse("from", "la hora es HH:MM (00:00 a 23:59)", "the time is HH:MM (00:00 to 23:59)");
  const std::optional<int32_t> end = ParseClockMinute(to);
  if (!end) return refuse("to", "la hora es HH:MM (00:00 a 23:59)", "the time is HH:MM (00:00 to 23:59)");
  if (*end <= *start) return refuse("to", "debe ser posterior a la hora desde", "must be after the from time");
  if (*end - *start < 60) {
    return refuse("to", "el horario debe durar al menos una hora", "the window must last at least one hour");
  }
  if (window != nullptr) *window = compliance::TimeWindow{*start, *end};
  return std::nullopt;
}

Result<PortalCustomer> LoadPortalCustomer(Database& database, const PortalClaims& claims, Language language) {
  auto query = database.Prepare(
      "SELECT external_id, name, language, country, time_zone, kind FROM customers WHERE tenant_id = ? AND id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, claims.tenant_id);
  (*query)->BindInt64(2, claims.customer_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(std::string(Tr(language, "el enlace no es de ningún cliente", "the link is for no customer"))));
  const Statement& r = **query;
  PortalCustomer customer;
  customer.tenant_id = claims.tenant_id;
  customer.customer_id = claims.customer_id;
  customer.external_id = r.GetText(0);
  customer.name = r.GetText(1);
  customer.language = r.GetText(2);
  customer.country = r.GetText(3);
  customer.time_zone = r.IsNull(4) ? "UTC" : std::string(r.GetText(4));
  customer.consumer = !r.IsNull(5) && r.GetText(5) == "person";
  return customer;
}

AuditContext PortalAudit(Timestamp now, std::string_view address, std::string_view user_agent, Language language) {
  std::string agent(user_agent.substr(0, 200));
  for (char& c : agent) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return AuditContext{"portal", FormatUtc(now),
                      fmt::format("portal ip={} ua={}", address.empty() ? "-" : address, agent.empty() ? "-" : agent),
                      language};
}

bool IsDisputeReason(std::string_view code) {
  return IsDisputeReasonCode(code);
}

std::string MaskAddress(std::string_view channel, std::string_view value) {
  if (channel == "email") {
    const size_t at = value.find('@');
    if (at == std::string_view::npos || at == 0) return "***";
    return fmt::format("{}***{}", value.substr(0, 1), value.substr(at));
  }
  std::string digits;
  for (char c : value) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return "***" + (digits.size() > 4 ? digits.substr(digits.size() - 4) : std::string());
}

Result<nlohmann::json> PortalOverview(Database& database, const PortalCustomer& customer, Timestamp now,
                                      Language language) {
  auto profile = LoadCompanyProfile(database, customer.tenant_id);
  if (!profile) return Fail(profile.error());
  const nlohmann::json company = {{"name", profile->name},
                                  {"country", profile->country},
                                  {"tax_id", profile->tax_id},
                                  {"address", profile->address},
                                  {"city", profile->city},
                                  {"phone", profile->phone},
                                  {"email", profile->email},
                                  {"payment_instructions", profile->payment_instructions}};

  auto promises = ListPromises(database, customer.tenant_id, customer.external_id, std::string("open"));
  if (!promises) return Fail(promises.error());
  auto disputes = ListDisputes(database, customer.tenant_id, std::string("open"), customer.external_id);
  if (!disputes) return Fail(disputes.error());
  std::set<std::string> disputed, promised_currencies;
  for (const DisputeRecord& dispute : *disputes) disputed.insert(dispute.invoice_external_id);
  for (const PromiseRecord& promise : *promises) promised_currencies.insert(promise.currency);

  InvoiceListQuery query;
  query.as_of = DateIn(customer.time_zone, now);
  query.status = InvoiceStatus::kUnpaid;
  query.customer = customer.external_id;
  query.sort = InvoiceSort::kDueDate;
  auto invoices = ListInvoices(database, customer.tenant_id, query, language);
  if (!invoices) return Fail(invoices.error());
  nlohmann::json invoice_list = nlohmann::json::array();
  std::map<std::string, std::pair<int64_t, int64_t>> totals;  // currency -> (open, overdue)
  for (const InvoiceRow& row : invoices->rows) {
    invoice_list.push_back({{"id", row.external_id},
                            {"number", row.number},
                            {"issue_date", row.issue_date},
                            {"due_date", row.due_date},
                            {"days_past_due", row.days_past_due},
                            {"amount", MoneyJson(row.amount_minor, row.currency)},
                            {"open", MoneyJson(row.open_minor, row.currency)},
                            {"disputed", disputed.contains(row.external_id)},
                            {"promised", promised_currencies.contains(row.currency)}});
    auto& [open, overdue] = totals[row.currency];
    open += row.open_minor;
    if (row.days_past_due > 0) overdue += row.open_minor;
  }
  nlohmann::json total_list = nlohmann::json::array();
  for (const auto& [currency, sums] : totals) {
    total_list.push_back({{"currency", currency},
                          {"amount", MoneyJson(sums.first, currency)},
                          {"overdue", MoneyJson(sums.second, currency)}});
  }

  auto limits = LoadPromiseLimits(database, customer.tenant_id, customer.external_id, now, "portal");
  if (!limits) return Fail(limits.error());
  nlohmann::json promise_limits = nullptr;
  if (!limits->empty()) {
    const PromiseLimits& first = limits->front();
    promise_limits = {{"currency", first.currency},
                      {"earliest_date", first.earliest_date.ToIso()},
                      {"latest_date", first.latest_date ? nlohmann::json(first.latest_date->ToIso()) : nlohmann::json()},
                      {"min_amount", MoneyJson(first.min_minor, first.currency)},
                      {"max_amount", MoneyJson(first.max_minor, first.currency)}};
  }

  // The tenant's reasons catalogue (collection/dispute_reasons.h), in the
  // debtor's own words where the portal has them.
  nlohmann::json reasons = nlohmann::json::array();
  auto catalogue = LoadDisputeReasons(database, customer.tenant_id);
  if (!catalogue) return Fail(catalogue.error());
  for (const DisputeReasonSetting& setting : *catalogue) {
    std::string es = setting.label_es, en = setting.label_en;
    for (const DisputeReason& words : kDisputeReasons) {
      if (words.code == setting.code) es = std::string(words.es), en = std::string(words.en);
    }
    reasons.push_back({{"code", setting.code}, {"label", {{"es", es}, {"en", en}}}});
  }

  auto attributes = LoadAttributes(database, customer);
  if (!attributes) return Fail(attributes.error());
  const std::optional<std::string>& preferred = attributes->second;
  auto points = LoadPoints(database, customer);
  if (!points) return Fail(points.error());
  nlohmann::json channels = nlohmann::json::array();
  for (const Point& point : *points) {
    const bool is_preferred =
        preferred && (PointKind(*preferred) == point.channel || (*preferred == "call" && point.channel == "phone"));
    channels.push_back({{"channel", point.channel},
                        {"address", MaskAddress(point.channel, point.value)},
                        {"consent", point.consent == "granted" || point.consent == "revoked" ? point.consent : "none"},
                        {"by_debtor", point.consent_source != "import"},
                        {"usable", point.usable},
                        {"preferred", is_preferred}});
  }

  nlohmann::json open_promises = nlohmann::json::array();
  for (const PromiseRecord& promise : *promises) open_promises.push_back(PromiseJson(promise));
  nlohmann::json open_disputes = nlohmann::json::array();
  for (const DisputeRecord& dispute : *disputes) open_disputes.push_back(DisputeJson(dispute));

  return nlohmann::json{
      {"company", company},
      {"customer",
       {{"external_id", customer.external_id},
        {"name", customer.name},
        {"language", customer.language},
        {"country", customer.country}}},
      {"invoices", std::move(invoice_list)},
      {"totals", std::move(total_list)},
      {"promise_limits", std::move(promise_limits)},
      {"dispute_reasons", std::move(reasons)},
      {"contact",
       {{"channels", std::move(channels)},
        {"preferred_channel", preferred ? nlohmann::json(*preferred) : nlohmann::json()},
        {"quiet_hours", WindowJson(DebtorHoursOf(attributes->first.dump()))},
        {"time_zone", customer.time_zone},
        {"legal_hours", LegalHoursJson(LegalHoursOf(customer))}}},
      {"open_promises", std::move(open_promises)},
      {"open_disputes", std::move(open_disputes)},
  };
}

Result<int64_t> AddPortalPromise(Database& database, const PortalCustomer& customer, Date date,
                                 const std::string& amount, const std::optional<std::string>& currency,
                                 const AuditContext& audit, std::string* field) {
  auto refuse = [&](std::string_view name, std::string message) -> Result<int64_t> {
    if (field != nullptr) *field = name;
    return Fail(Error::BadInput(std::move(message)));
  };
  auto now = ParseUtc(audit.at);
  if (!now) return Fail(Error::Internal(fmt::format("the audit time '{}' is not a UTC timestamp", audit.at)));
  auto all = LoadPromiseLimits(database, customer.tenant_id, customer.external_id, *now, "portal");
  if (!all) return Fail(all.error());
  if (all->empty()) {
    return refuse("amount", std::string(Tr(audit.language, "no hay nada pendiente que prometer pagar",
                                           "there is nothing owed to promise")));
  }
  const PromiseLimits* limits = &all->front();
  if (currency) {
    auto found = std::find_if(all->begin(), all->end(), [&](const PromiseLimits& l) { return l.currency == *currency; });
    if (found == all->end()) {
      return refuse("currency", TrFormat(audit.language, "no debe nada en {}", "nothing is owed in {}", *currency));
    }
    limits = &*found;
  }
  if (auto refusal = PromiseDateRefusal(*limits, date, audit.language)) return refuse("date", std::move(*refusal));
  auto parsed_currency = Currency::FromCode(limits->currency);
  if (!parsed_currency) return Fail(Error::Internal("unknown stored currency " + limits->currency));
  auto money = Money::Parse(amount, *parsed_currency);
  if (!money) {
    return refuse("amount", TrFormat(audit.language, "importe: {}", "amount: {}", money.error().message));
  }
  if (auto refusal = PromiseAmountRefusal(*limits, money->minor_units(), amount, audit.language)) {
    return refuse("amount", std::move(*refusal));
  }
  return AddPromise(database, customer.tenant_id, customer.external_id, date, amount, limits->currency, "portal", "",
                    audit);
}

Result<int64_t> OpenPortalDispute(Database& database, const PortalCustomer& customer, const std::string& invoice,
                                  std::string_view reason_code, const std::string& text, const AuditContext& audit) {
  if (!IsDisputeReason(reason_code)) {
    return Fail(Error::BadInput(TrFormat(audit.language, "'{}' no es un motivo de disputa", "'{}' is not a dispute reason",
                                         reason_code)));
  }
  // The customer's own invoice, by external id first, else by number.
  auto query = database.Prepare(
      "SELECT external_id FROM invoices WHERE tenant_id = ? AND customer_id = ? AND (external_id = ? OR number = ?) "
      "ORDER BY CASE WHEN external_id = ? THEN 0 ELSE 1 END, id LIMIT 1");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, customer.tenant_id);
  (*query)->BindInt64(2, customer.customer_id);
  (*query)->BindText(3, invoice);
  (*query)->BindText(4, invoice);
  (*query)->BindText(5, invoice);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(audit.language, "no tiene una factura '{}'", "you have no invoice '{}'", invoice)));
  }
  const std::string external_id((*query)->GetText(0));
  query->reset();
  const std::string reason = text.empty() ? std::string(reason_code) : fmt::format("{}: {}", reason_code, text);
  return OpenDispute(database, customer.tenant_id, external_id, reason, audit);
}

Status ChangeContactPreferences(Database& database, const PortalCustomer& customer, const ContactPreferences& change,
                                const AuditContext& audit, std::string* field) {
  std::set<std::string> out, in;
  for (const std::string& kind : change.opt_out) out.insert(PointKind(kind));
  for (const std::string& kind : change.opt_in) in.insert(PointKind(kind));
  for (const std::string& kind : out) {
    if (in.contains(kind)) {
      return Fail(Error::BadInput(TrFormat(audit.language, "'{}' no puede estar en opt_out y en opt_in a la vez",
                                           "'{}' cannot be in both opt_out and opt_in", kind)));
    }
  }
  if (change.quiet_hours && *change.quiet_hours) {
    // The debtor's window narrows the law's hours: one that never meets them would stop every contact.
    const auto legal = LegalHoursOf(customer);
    const auto narrowed = compliance::NarrowHours(legal, **change.quiet_hours);
    if (std::all_of(narrowed.begin(), narrowed.end(), [](const auto& day) { return day.empty(); })) {
      if (field != nullptr) *field = "quiet_hours";
      return Fail(Error::BadInput(std::string(
          Tr(audit.language, "el horario no coincide en ningún día con el que permite la ley",
             "the window does not meet the hours the law allows on any day"))));
    }
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto points = LoadPoints(database, customer);
  if (!points) return Fail(points.error());
  for (const Point& point : *points) {
    if (out.contains(point.channel)) {
      auto recorded = RecordOptOut(database, customer.tenant_id, customer.customer_id, point.channel, point.value,
                                   "portal", audit);
      if (!recorded) return Fail(recorded.error());
    } else if (in.contains(point.channel) && (point.consent != "granted" || point.consent_source == "import")) {
      // Consent the debtor gives itself: the strongest kind (collection/contact_history.h).
      auto grant = database.Prepare(
          "UPDATE contact_points SET consent = 'granted', consent_source = 'portal', consent_at = ? WHERE tenant_id = ? "
          "AND customer_id = ? AND channel = ? AND value = ?");
      if (!grant) return Fail(grant.error());
      (*grant)->BindText(1, audit.at);
      (*grant)->BindInt64(2, customer.tenant_id);
      (*grant)->BindInt64(3, customer.customer_id);
      (*grant)->BindText(4, point.channel);
      (*grant)->BindText(5, point.value);
      if (auto ok = (*grant)->Run(); !ok) return ok;
      const nlohmann::json before = {{"channel", point.channel}, {"value", point.value}, {"consent", point.consent},
                                     {"consent_source", point.consent_source}};
      const nlohmann::json after = {{"channel", point.channel}, {"value", point.value}, {"consent", "granted"},
                                    {"consent_source", "portal"}, {"via", "portal"}};
      if (auto ok = WriteAudit(database, customer.tenant_id, audit, "contact_point", customer.customer_id, "update",
                               before.dump(), after.dump());
          !ok) {
        return ok;
      }
    }
  }
  if (change.preferred_channel || change.quiet_hours) {
    auto attributes = LoadAttributes(database, customer);
    if (!attributes) return Fail(attributes.error());
    auto& [json, current] = *attributes;
    const std::optional<compliance::TimeWindow> current_hours = DebtorHoursOf(json.dump());
    nlohmann::json before = nlohmann::json::object(), after = nlohmann::json::object();
    if (change.preferred_channel && current != *change.preferred_channel) {
      if (*change.preferred_channel) {
        json["preferred_channel"] = **change.preferred_channel;
      } else {
        json.erase("preferred_channel");
      }
      before["preferred_channel"] = current ? nlohmann::json(*current) : nlohmann::json();
      after["preferred_channel"] = *change.preferred_channel ? nlohmann::json(**change.preferred_channel) : nlohmann::json();
    }
    if (change.quiet_hours) {
      const nlohmann::json was = WindowJson(current_hours), wanted = WindowJson(*change.quiet_hours);
      if (was != wanted) {
        if (*change.quiet_hours) {
          json[std::string(kQuietHoursAttribute)] = wanted;
        } else {
          json.erase(std::string(kQuietHoursAttribute));
        }
        before["quiet_hours"] = was;
        after["quiet_hours"] = wanted;
      }
    }
    if (!after.empty()) {
      auto update = database.Prepare("UPDATE customers SET attributes = ?, updated_at = ? WHERE tenant_id = ? AND id = ?");
      if (!update) return Fail(update.error());
      if (json.empty()) {
        (*update)->BindNull(1);
      } else {
        (*update)->BindText(1, json.dump());
      }
      (*update)->BindText(2, audit.at);
      (*update)->BindInt64(3, customer.tenant_id);
      (*update)->BindInt64(4, customer.customer_id);
      if (auto ok = (*update)->Run(); !ok) return ok;
      if (auto ok = WriteAudit(database, customer.tenant_id, audit, "customer", customer.customer_id, "update",
                               before.dump(), after.dump());
          !ok) {
        return ok;
      }
    }
  }
  return transaction->Commit();
}

Result<nlohmann::json> RequestCallback(Database& database, const PortalCustomer& customer,
                                       const CallbackRequest& request, Timestamp now, const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  // What the collector sees in the worklist: the open debt in the default
  // currency (the smallest code, as promises take it) and how late it is.
  auto debt = database.Prepare(
      "SELECT id, currency, open_minor, due_date FROM invoices WHERE tenant_id = ? AND customer_id = ? AND "
      "open_minor > 0 ORDER BY currency, due_date, id");
  if (!debt) return Fail(debt.error());
  (*debt)->BindInt64(1, customer.tenant_id);
  (*debt)->BindInt64(2, customer.customer_id);
  const Date today = DateIn(customer.time_zone, now);
  std::string currency;
  int64_t total_minor = 0;
  int32_t max_days = 0;
  nlohmann::json invoice_ids = nlohmann::json::array();
  while (true) {
    auto row = (*debt)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const Statement& r = **debt;
    const std::string code(r.GetText(1));
    if (currency.empty()) currency = code;
    if (code != currency) continue;
    invoice_ids.push_back(r.GetInt64(0));
    total_minor += r.GetInt64(2);
    if (auto due = Date::ParseIso(r.GetText(3)); due && *due < today) max_days = std::max(max_days, DaysBetween(*due, today));
  }
  debt->reset();
  std::string phone = request.phone.value_or("");
  if (phone.empty()) {
    auto points = LoadPoints(database, customer);
    if (!points) return Fail(points.error());
    for (const Point& point : *points) {
      if (point.channel == "phone" && point.usable) {
        phone = point.value;
        break;
      }
    }
  }
  nlohmann::json callback = {{"phone", phone},
                             {"preferred_time", request.preferred_time.value_or("")},
                             {"note", request.note.value_or("")}};
  const nlohmann::json payload = {{"currency", currency},           {"invoice_ids", invoice_ids},
                                  {"total_minor", total_minor},     {"max_days_past_due", max_days},
                                  {"callback", callback}};
  auto count = database.QueryInt64(fmt::format(
      "SELECT COUNT(*) FROM outbox WHERE tenant_id = {} AND customer_id = {} AND strategy = 'portal'", customer.tenant_id,
      customer.customer_id));
  if (!count) return Fail(count.error());
  const std::string key = fmt::format("portal-callback:{}:{}", customer.customer_id, count->value_or(0) + 1);
  auto insert = database.Prepare(
      "INSERT INTO outbox (tenant_id, idempotency_key, customer_id, strategy, stage, action, channel, template, tone, "
      "business_date, scheduled_at, status, payload, created_at) VALUES (?, ?, ?, 'portal', 'callback', 'call_task', "
      "NULL, NULL, NULL, ?, ?, 'open', ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, customer.tenant_id);
  (*insert)->BindText(2, key);
  (*insert)->BindInt64(3, customer.customer_id);
  (*insert)->BindText(4, today.ToIso());
  (*insert)->BindText(5, FormatUtc(now));
  (*insert)->BindText(6, payload.dump());
  (*insert)->BindText(7, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  auto id = database.Prepare("SELECT id FROM outbox WHERE tenant_id = ? AND idempotency_key = ?");
  if (!id) return Fail(id.error());
  (*id)->BindInt64(1, customer.tenant_id);
  (*id)->BindText(2, key);
  auto found = (*id)->Step();
  if (!found) return Fail(found.error());
  if (!*found) return Fail(Error::Internal("the call task just written is not there"));
  const int64_t task_id = (*id)->GetInt64(0);
  id->reset();
  if (auto ok = WriteAudit(database, customer.tenant_id, audit, "task", task_id, "create", "",
                           nlohmann::json{{"stage", "callback"}, {"status", "open"}, {"callback", callback}}.dump());
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return nlohmann::json{{"task_id", task_id},
                        {"status", "open"},
                        {"phone", phone.empty() ? "" : MaskAddress("phone", phone)},
                        {"preferred_time", callback["preferred_time"]},
                        {"note", callback["note"]},
                        {"created_at", audit.at}};
}

Result<Unsubscribed> Unsubscribe(Database& database, const SecretKey& key, std::string_view token, Timestamp now,
                                 std::optional<int64_t> tenant_id, const AuditContext& audit) {
  auto claims = VerifyToken(key, TokenPurpose::kUnsubscribe, token, now);
  if (!claims) return Fail(claims.error());
  Unsubscribed done;
  done.tenant_id = claims->value("tenant", int64_t{0});
  if (tenant_id && done.tenant_id != *tenant_id) {
    return Fail(Error::BadInput(std::string(Tr(audit.language, "el enlace es de otra empresa", "the link belongs to another tenant"))));
  }
  const int64_t customer_id = claims->value("customer", int64_t{0});
  done.channel = claims->value("channel", "");
  done.address = claims->value("address", "");
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto recorded = RecordOptOut(database, done.tenant_id, customer_id, done.channel, done.address, "unsubscribe link", audit);
  if (!recorded) return Fail(recorded.error());
  if (auto committed = transaction->Commit(); !committed) return Fail(committed.error());
  done.changed = *recorded;
  return done;
}

}  // namespace cartera::delivery
