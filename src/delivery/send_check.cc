#include "delivery/send_check.h"

#include <fmt/format.h>

#include "compliance/contact_check.h"
#include "core/time_zone.h"

namespace cartera::delivery {

Result<SendCheck> CheckBeforeSend(Database& database, int64_t tenant_id, const DueItem& item,
                                  const Recipient& recipient, Timestamp now) {
  const std::string_view zone =
      IsKnownTimeZone(recipient.time_zone) ? std::string_view(recipient.time_zone) : std::string_view("UTC");
  // A reminder whose stage is over (a "before due" one after the due date,
  // a stage the next one replaced) is not sent late: it expires.
  const std::optional<Date> window_end = WindowEnd(item.payload);
  if (window_end && DateIn(zone, now) >= *window_end) {
    return SendCheck{Verdict::kExpire, std::nullopt,
                     fmt::format("expired: its stage ended on {} before it could be sent", window_end->ToIso())};
  }
  // The rulebook again, with what was really sent since the run planned it:
  // sent messages at their send time, claimed ones at their claim.
  std::vector<compliance::PastContact> history;
  auto read = ForEachContact(database, tenant_id, item.customer_id, now - std::chrono::days(kContactLookbackDays),
                             ContactView::kSending, [&](int64_t, const compliance::PastContact& contact,
                                                        std::string_view) { history.push_back(contact); });
  if (!read) return Fail(read.error());
  compliance::ContactRequest request;
  request.channel = *compliance::ParseChannel(item.channel);
  request.at = now;
  request.time_zone = recipient.time_zone;
  request.country = recipient.country;
  request.authorised_channels = recipient.reach.access.authorised_by_debtor;
  request.debtor_hours = recipient.reach.access.debtor_hours;
  const compliance::Rulebook& rulebook = compliance::RulebookFor(
      recipient.country, recipient.consumer ? compliance::DebtorKind::kConsumer : compliance::DebtorKind::kBusiness);
  const compliance::ContactDecision decision = compliance::CheckContact(rulebook, request, history);
  if (decision.allowed()) return SendCheck{};
  const std::string reason = fmt::format("{}: {}", compliance::BlockCodeName(decision.code), decision.reason_en);
  if (!decision.next_allowed) return SendCheck{Verdict::kBlock, std::nullopt, reason};
  if (window_end && DateIn(zone, *decision.next_allowed) >= *window_end) {
    return SendCheck{Verdict::kExpire, std::nullopt,
                     fmt::format("expired: {}; the next allowed time is after its stage ended on {}", reason,
                                 window_end->ToIso())};
  }
  return SendCheck{Verdict::kDefer, decision.next_allowed, reason};
}

}  // namespace cartera::delivery
