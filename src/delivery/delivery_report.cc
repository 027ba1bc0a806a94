#include "delivery/delivery_report.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "core/time_zone.h"
#include "delivery/message_id.h"

namespace cartera::delivery {
namespace {

template <typename T>
struct GObjectDeleter {
  void operator()(T* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectDeleter<T>>;

void InitGmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

GPtr<GMimeMessage> ParseMessage(std::string_view raw) {
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  return GPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), nullptr));
}

// The decoded content of a leaf part (base64 and quoted-printable undone).
std::string ContentOf(GMimePart* part) {
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (wrapper == nullptr) return "";
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(wrapper, out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// "rfc822; Ana@Example.com" -> "ana@example.com"
std::string AddressOf(std::string_view value) {
  const size_t semicolon = value.find(';');
  if (semicolon != std::string_view::npos) value = value.substr(semicolon + 1);
  std::string address(TrimWhitespace(value));
  if (address.starts_with('<') && address.ends_with('>')) address = address.substr(1, address.size() - 2);
  return AsciiLower(address);
}

// message/delivery-status: blocks of "Name: value" fields separated by blank
// lines; the first is about the message, each other about one recipient.
std::vector<BouncedRecipient> ParseStatusFields(std::string_view text) {
  std::vector<std::vector<std::pair<std::string, std::string>>> blocks(1);
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (TrimWhitespace(line).empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !blocks.back().empty()) {
      blocks.back().back().second += " " + std::string(TrimWhitespace(line));  // a folded line
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    blocks.back().emplace_back(AsciiLower(TrimWhitespace(line.substr(0, colon))), std::string(TrimWhitespace(line.substr(colon + 1))));
  }
  std::vector<BouncedRecipient> recipients;
  for (size_t i = 1; i < blocks.size(); ++i) {
    BouncedRecipient recipient;
    std::string original;
    for (const auto& [name, value] : blocks[i]) {
      if (name == "final-recipient") recipient.address = AddressOf(value);
      if (name == "original-recipient") original = AddressOf(value);
      if (name == "action") recipient.action = AsciiLower(TrimWhitespace(value));
      if (name == "status") recipient.status = std::string(TrimWhitespace(value.substr(0, value.find(' '))));
      if (name == "diagnostic-code") recipient.diagnostic = value;
    }
    if (recipient.address.empty()) recipient.address = original;
    if (!recipient.address.empty()) recipients.push_back(std::move(recipient));
  }
  return recipients;
}

struct Walk {
  DeliveryReport* report;
};

void VisitPart(GMimeObject* /*parent*/, GMimeObject* part, gpointer data) {
  DeliveryReport& report = *static_cast<Walk*>(data)->report;
  GMimeContentType* type = g_mime_object_get_content_type(part);
  if (GMIME_IS_MESSAGE_PART(part)) {  // message/rfc822: the message returned whole
    GMimeMessage* original = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
    const char* id = original != nullptr ? g_mime_message_get_message_id(original) : nullptr;
    if (id != nullptr && report.original_message_id.empty()) report.original_message_id = fmt::format("<{}>", id);
    return;
  }
  if (!GMIME_IS_PART(part)) return;
  if (g_mime_content_type_is_type(type, "message", "delivery-status") ||
      g_mime_content_type_is_type(type, "message", "global-delivery-status")) {
    report.is_report = true;
    auto found = ParseStatusFields(ContentOf(GMIME_PART(part)));
    report.recipients.insert(report.recipients.end(), found.begin(), found.end());
  } else if (g_mime_content_type_is_type(type, "text", "rfc822-headers")) {  // only the headers returned
    GPtr<GMimeMessage> headers = ParseMessage(ContentOf(GMIME_PART(part)) + "\r\n");
    const char* id = headers ? g_mime_message_get_message_id(headers.get()) : nullptr;
    if (id != nullptr && report.original_message_id.empty()) report.original_message_id = fmt::format("<{}>", id);
  }
}

// Why the report cannot be trusted to be about one of our emails, or
// nullopt when its Message-ID proves it is.
Result<std::optional<std::string>> WhyNotOurs(Database& database, int64_t tenant_id, const DeliveryReport& report,
                                              const SecretKey& key, Timestamp now) {
  const std::string& id = report.original_message_id;
  if (id.empty()) {
    return std::optional<std::string>(
        "the report does not return the Message-ID we sent, and a report is never matched by its recipient alone");
  }
  switch (ClassifyMessageId(key, tenant_id, id)) {
    case MessageIdKind::kSigned:
      return std::optional<std::string>();
    case MessageIdKind::kForeign:
      return std::optional<std::string>(
          fmt::format("Message-ID {} is not one of ours (its signature does not verify): a forged or foreign report",
                      id));
    case MessageIdKind::kLegacy:
      break;
  }
  auto query = database.Prepare("SELECT sent_at FROM outbox WHERE tenant_id = ? AND provider_message_id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindText(2, id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<std::string>(fmt::format("no message with id {}", id));
  const std::optional<std::string> sent_at = (*query)->GetOptionalText(0);
  if (sent_at && *sent_at >= FormatUtc(now - kUnsignedMessageIdBounceWindow)) return std::optional<std::string>();
  return std::optional<std::string>(fmt::format(
      "Message-ID {} is unsigned (from before ids were signed) and its email was sent more than {} days ago", id,
      kUnsignedMessageIdBounceWindow.count()));
}

}  // namespace

Result<DeliveryReport> ParseDeliveryReport(std::string_view raw_email) {
  InitGmime();
  GPtr<GMimeMessage> message = ParseMessage(raw_email);
  if (!message || g_mime_message_get_mime_part(message.get()) == nullptr) {
    return Fail(Error::BadInput("not an email message"));
  }
  DeliveryReport report;
  Walk walk{&report};
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  if (GMIME_IS_MULTIPART(body)) {
    g_mime_message_foreach(message.get(), VisitPart, &walk);
  } else {
    VisitPart(nullptr, body, &walk);
  }
  return report;
}

Result<std::vector<WebhookOutcome>> IngestDeliveryReport(Database& database, int64_t tenant_id,
                                                         const DeliveryReport& report, const SecretKey& key,
                                                         Timestamp now, const AuditContext& audit) {
  std::vector<WebhookOutcome> outcomes;
  if (!report.is_report) {
    outcomes.push_back({"ignored", "not a delivery status notification (a reply or an auto-reply?)"});
    return outcomes;
  }
  for (const BouncedRecipient& recipient : report.recipients) {
    if (!recipient.Permanent()) {
      outcomes.push_back({"ignored", fmt::format("{}: {} {} (the server keeps trying or it arrived)",
                                                 recipient.address, recipient.action, recipient.status)});
      continue;
    }
    auto not_ours = WhyNotOurs(database, tenant_id, report, key, now);
    if (!not_ours) return Fail(not_ours.error());
    if (*not_ours) {
      outcomes.push_back({"ignored", fmt::format("{}: {}", recipient.address, **not_ours)});
      continue;
    }
    DeliveryStatus status;
    status.provider = "SMTP";
    status.provider_message_id = report.original_message_id;
    status.provider_status = "bounced";
    status.error_code = recipient.status;
    status.description = recipient.diagnostic.empty() ? "bounced" : "bounced: " + recipient.diagnostic;
    status.address_unusable = true;
    auto recorded = RecordDeliveryStatus(database, tenant_id, status, audit);
    if (!recorded) return Fail(recorded.error());
    outcomes.push_back(std::move(*recorded));
  }
  if (outcomes.empty()) outcomes.push_back({"ignored", "the report names no recipient"});
  return outcomes;
}

}  // namespace cartera::delivery
