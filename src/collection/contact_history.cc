#include "collection/contact_history.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "collection/records.h"
#include "core/time_zone.h"

namespace cartera {
namespace {

std::optional<Timestamp> FirstTime(std::initializer_list<std::string_view> texts) {
  for (std::string_view text : texts) {
    if (text.empty()) continue;
    if (auto at = ParseUtc(text)) return *at;
  }
  return std::nullopt;
}

size_t Index(Channel channel) { return static_cast<size_t>(channel) - 1; }

}  // namespace

std::optional<compliance::PastContact> ContactOf(const OutboxContactRow& row, ContactView view) {
  auto channel = compliance::ParseChannel(row.channel);
  if (!channel) return std::nullopt;
  const std::string_view status = row.status;
  std::optional<Timestamp> at;
  compliance::ContactKind kind = compliance::ContactKind::kAttempt;
  if (!row.outcome.empty()) {
    // A message happened when it was sent (a reply later does not move
    // it); a call when the collector recorded how it went.
    at = FirstTime({row.sent_at, row.outcome_at, row.attempted_at, row.scheduled_at});
    kind = IsConversationOutcome(row.outcome) ? compliance::ContactKind::kConversation
           : status == "sent" || status == "delivered" ? compliance::ContactKind::kDelivered
                                                       : compliance::ContactKind::kAttempt;
  } else if (status == "sent" || status == "delivered") {
    at = FirstTime({row.sent_at, row.attempted_at, row.scheduled_at});
    kind = compliance::ContactKind::kDelivered;
  } else if (status == "sending" || status == "unknown") {
    // Under way, or of unknown fate: it may have arrived, at the claim.
    at = FirstTime({row.attempted_at, row.scheduled_at});
  } else if (view == ContactView::kPlanning && (status == "queued" || status == "open")) {
    // Promised by an earlier run: it goes out no earlier than scheduled.
    at = FirstTime({row.scheduled_at});
    if (auto retry = FirstTime({row.next_attempt_at}); retry && at && *retry > *at) at = retry;
  }
  if (!at) return std::nullopt;
  return compliance::PastContact{*channel, *at, kind};
}

Status ForEachContact(Database& database, int64_t tenant_id, std::optional<int64_t> customer_id, Timestamp since,
                      ContactView view, const ContactVisitor& each) {
  const std::string_view counted = view == ContactView::kPlanning
                                       ? "'sent', 'delivered', 'sending', 'unknown', 'queued', 'open'"
                                       : "'sent', 'delivered', 'sending', 'unknown'";
  auto query = database.Prepare(fmt::format(
      "SELECT customer_id, channel, status, outcome, sent_at, attempted_at, outcome_at, scheduled_at, "
      "next_attempt_at FROM outbox WHERE tenant_id = ? AND channel IS NOT NULL AND (status IN ({0}) OR outcome IS "
      "NOT NULL) AND (COALESCE(sent_at, outcome_at, attempted_at, scheduled_at) >= ? OR status IN ('queued', "
      "'open')){1} ORDER BY COALESCE(sent_at, outcome_at, attempted_at, scheduled_at), id",
      counted, customer_id ? " AND customer_id = ?" : ""));
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, FormatUtc(since));
  if (customer_id) (*query)->BindInt64(3, *customer_id);
  auto text = [&](int column) { return (*query)->IsNull(column) ? std::string_view() : (*query)->GetText(column); };
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return {};
    const OutboxContactRow row{text(1), text(2), text(3), text(4), text(5), text(6), text(7), text(8)};
    if (auto contact = ContactOf(row, view); contact && contact->at >= since) {
      each((*query)->GetInt64(0), *contact, row.outcome);
    }
  }
}

const std::string& Reach::AddressFor(std::string_view channel) const {
  static const std::string kNone;
  if (channel == "email") return email;
  if (channel == "sms" || channel == "call") return phone;
  if (channel == "whatsapp") return whatsapp;
  if (channel == "letter") return postal;
  return kNone;
}

std::optional<int32_t> ParseClockMinute(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int32_t hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int32_t minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

std::optional<compliance::TimeWindow> DebtorHoursOf(std::string_view attributes) {
  if (attributes.find(kQuietHoursAttribute) == std::string_view::npos) return std::nullopt;
  const nlohmann::json json = nlohmann::json::parse(attributes, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  auto found = json.find(kQuietHoursAttribute);
  if (found == json.end() || !found->is_object()) return std::nullopt;
  auto from = found->find("from");
  auto to = found->find("to");
  if (from == found->end() || to == found->end() || !from->is_string() || !to->is_string()) return std::nullopt;
  auto start = ParseClockMinute(from->get<std::string>());
  auto end = ParseClockMinute(to->get<std::string>());
  if (!start || !end || *start >= *end) return std::nullopt;
  return compliance::TimeWindow{*start, *end};
}

void OpenContactPoint(ChannelAccess& access, std::string_view kind, std::string_view consent_source) {
  const bool by_debtor = consent_source != "import";
  auto open = [&](Channel channel) {
    access.allowed[Index(channel)] = true;
    if (by_debtor) access.authorised_by_debtor.Add(static_cast<compliance::Channel>(channel));
  };
  if (kind == "email") open(Channel::kEmail);
  if (kind == "phone") {
    open(Channel::kSms);
    open(Channel::kCall);
  }
  if (kind == "whatsapp") open(Channel::kWhatsapp);
}

void OpenPostalAddress(ChannelAccess& access) {
  access.allowed[Index(Channel::kLetter)] = true;
  access.authorised_by_debtor.Add(compliance::Channel::kLetter);
}

Result<Reach> LoadReach(Database& database, int64_t tenant_id, int64_t customer_id) {
  Reach reach;
  auto address = database.Prepare("SELECT address, attributes FROM customers WHERE tenant_id = ? AND id = ?");
  if (!address) return Fail(address.error());
  (*address)->BindInt64(1, tenant_id);
  (*address)->BindInt64(2, customer_id);
  auto found = (*address)->Step();
  if (!found) return Fail(found.error());
  if (*found && !(*address)->IsNull(0) && !(*address)->GetText(0).empty()) {
    OpenPostalAddress(reach.access);
    reach.postal = (*address)->GetText(0);
  }
  if (*found && !(*address)->IsNull(1)) reach.access.debtor_hours = DebtorHoursOf((*address)->GetText(1));
  address->reset();
  auto points = database.Prepare(fmt::format(
      "SELECT channel, value, consent_source FROM contact_points WHERE tenant_id = ? AND customer_id = ? AND {} "
      "ORDER BY is_primary DESC, id",
      kUsableConsentedPoint));
  if (!points) return Fail(points.error());
  (*points)->BindInt64(1, tenant_id);
  (*points)->BindInt64(2, customer_id);
  while (true) {
    auto has_row = (*points)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) return reach;
    const std::string_view kind = (*points)->GetText(0);
    OpenContactPoint(reach.access, kind, (*points)->GetText(2));
    std::string& first = kind == "email" ? reach.email : kind == "phone" ? reach.phone : reach.whatsapp;
    if (first.empty()) first = (*points)->GetText(1);
  }
}

}  // namespace cartera
