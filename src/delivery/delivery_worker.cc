#include "delivery/delivery_worker.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "collection/contact_history.h"
#include "collection/records.h"
#include "compliance/contact_check.h"
#include "core/time_zone.h"
#include "delivery/message_context.h"
#include "delivery/signed_token.h"
#include "delivery/whatsapp_template_message.h"
#include "pdf/customer_documents.h"
#include "templates/gsm7.h"
#include "templates/default_templates.h"

namespace cartera::delivery {
namespace {

std::string WithCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (char c : text) {
    if (c == '\n' && (out.empty() || out.back() != '\r')) out += '\r';
    out += c;
  }
  return out;
}

// A customer's external id as part of a file name.
std::string FileSafe(std::string_view text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return out;
}

struct DueItem {
  int64_t id = 0;
  std::string channel;  // email | sms | whatsapp | letter
  std::string key;
  int64_t customer_id = 0;
  std::string stage, template_name, tone;
  nlohmann::json payload;
  int32_t attempts = 0;
  bool claimed = false;  // this pass marked it `sending`
  // The status every write about it expects to find: a stale writer (a
  // worker that lost its claim) changes nothing.
  std::string_view expected_status() const { return claimed ? "sending" : "queued"; }
};

struct Recipient {
  std::string external_id, name, language, country, time_zone;
  bool consumer = false;
  // The channels and addresses the contact history module opens now.
  Reach reach;
  const std::string& AddressFor(std::string_view channel) const { return reach.AddressFor(channel); }
};

// The contact point kind an outbox channel is sent to.
std::string_view ContactPointChannel(std::string_view channel) { return channel == "sms" ? "phone" : channel; }

Result<std::vector<DueItem>> LoadDue(Database& database, const DeliveryOptions& options, const std::string& now,
                                     const std::vector<std::string_view>& channels) {
  std::string listed;
  for (std::string_view channel : channels) listed += fmt::format("{}'{}'", listed.empty() ? "" : ", ", channel);
  auto query = database.Prepare(fmt::format(
      "SELECT id, idempotency_key, customer_id, stage, template, tone, payload, attempts, channel FROM outbox "
      "WHERE tenant_id = ? AND status = 'queued' AND channel IN ({}) AND scheduled_at <= ? AND "
      "(next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY scheduled_at, id LIMIT {}",
      listed, std::max<int64_t>(options.limit, 1)));
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, options.tenant_id);
  (*query)->BindText(2, now);
  (*query)->BindText(3, now);
  std::vector<DueItem> items;
  while (true) {
    auto has_row = (*query)->Step();
    if (!has_row) return Fail(has_row.error());
    if (!*has_row) break;
    const Statement& row = **query;
    DueItem item;
    item.id = row.GetInt64(0);
    item.key = row.GetText(1);
    item.customer_id = row.GetInt64(2);
    item.stage = row.GetText(3);
    item.template_name = row.IsNull(4) ? item.stage : std::string(row.GetText(4));
    item.tone = row.IsNull(5) ? std::string(templates::kDefaultTone) : std::string(row.GetText(5));
    item.payload = nlohmann::json::parse(row.GetText(6), nullptr, false);
    item.attempts = static_cast<int32_t>(row.GetInt64(7));
    item.channel = row.GetText(8);
    items.push_back(std::move(item));
  }
  return items;
}

Result<Recipient> LoadRecipient(Database& database, int64_t tenant_id, int64_t customer_id) {
  Recipient recipient;
  auto customer = database.Prepare(
      "SELECT name, language, country, time_zone, kind, external_id FROM customers WHERE tenant_id = ? AND id = ?");
  if (!customer) return Fail(customer.error());
  (*customer)->BindInt64(1, tenant_id);
  (*customer)->BindInt64(2, customer_id);
  auto row = (*customer)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound(fmt::format("no customer with id {}", customer_id)));
  recipient.name = (*customer)->GetText(0);
  recipient.language = (*customer)->GetText(1);
  recipient.country = (*customer)->GetText(2);
  recipient.time_zone = (*customer)->GetText(3);
  recipient.consumer = (*customer)->GetText(4) == "person";
  recipient.external_id = (*customer)->GetText(5);
  customer->reset();
  // Consent is read again now: an opt-out since the run must win.
  auto reach = LoadReach(database, tenant_id, customer_id);
  if (!reach) return Fail(reach.error());
  recipient.reach = std::move(*reach);
  return recipient;
}

// The debtor's contacts as the contact history counts them for a send:
// what was sent, and what is under way at its claim.
Result<std::vector<compliance::PastContact>> LoadHistory(Database& database, int64_t tenant_id, int64_t customer_id,
                                                          Timestamp now) {
  std::vector<compliance::PastContact> history;
  auto read = ForEachContact(database, tenant_id, customer_id, now - std::chrono::days(kContactLookbackDays),
                             ContactView::kSending,
                             [&](int64_t, const compliance::PastContact& contact, std::string_view) {
                               history.push_back(contact);
                             });
  if (!read) return Fail(read.error());
  return history;
}

// The first local date the item's stage no longer covers (the run put it
// in the payload); nullopt for items planned before windows existed.
std::optional<Date> WindowEnd(const nlohmann::json& payload) {
  if (!payload.is_object() || !payload.contains("window_ends") || !payload["window_ends"].is_string()) {
    return std::nullopt;
  }
  auto date = Date::ParseIso(payload["window_ends"].get<std::string>());
  return date ? std::optional<Date>(*date) : std::nullopt;
}

class Worker {
 public:
  Worker(Database& database, const Senders& senders, const DeliveryOptions& options, const Clock& clock)
      : database_(database), senders_(senders), options_(options), clock_(clock) {}

  Result<DeliveryStats> Run() {
    std::vector<std::string_view> channels;
    if (senders_.smtp_settings != nullptr) channels.push_back("email");
    if (senders_.twilio_settings != nullptr) channels.push_back("sms");
    if ((senders_.twilio_settings != nullptr && !senders_.twilio_settings->whatsapp_from.empty()) ||
        senders_.whatsapp_cloud_settings != nullptr) {
      channels.push_back("whatsapp");
    }
    if (!options_.letters_dir.empty()) channels.push_back("letter");
    if (channels.empty()) return stats_;
    if (senders_.lanes.empty() && channels != std::vector<std::string_view>{"letter"}) {
      return Fail(Error::Internal("delivery: no sender lanes"));
    }
    auto due = LoadDue(database_, options_, FormatUtc(clock_.Now()), channels);
    if (!due) return Fail(due.error());
    // One message per lane in flight: a batch is claimed together and sent
    // at once, and the next batch is prepared while it travels.
    const size_t lanes = std::max<size_t>(senders_.lanes.size(), 1);
    std::vector<Job> batch;
    for (DueItem& item : *due) {
      // One debtor at a time: a debtor's item is checked against the law
      // only after the debtor's earlier item in this pass is claimed, so
      // the claim is in the history it is checked against and one batch
      // never holds two contacts that together break a cap.
      const bool debtor_in_batch = std::any_of(batch.begin(), batch.end(), [&](const Job& queued) {
        return queued.item.customer_id == item.customer_id;
      });
      if (debtor_in_batch) {
        if (auto launched = Launch(std::move(batch)); !launched) return Fail(launched.error());
        batch.clear();
      }
      auto job = Prepare(std::move(item));
      if (!job) return Fail(job.error());
      if (*job) batch.push_back(std::move(**job));
      if (batch.size() >= lanes) {
        if (auto launched = Launch(std::move(batch)); !launched) return Fail(launched.error());
        batch.clear();
      }
    }
    if (auto launched = Launch(std::move(batch)); !launched) return Fail(launched.error());
    if (auto landed = Launch({}); !landed) return Fail(landed.error());
    return stats_;
  }

 private:
  // A message ready to leave.
  struct Job {
    DueItem item;
    std::string address;
    std::optional<EmailMessage> email;
    std::optional<WhatsappMessage> whatsapp;
    std::string text;
    bool claimed = false;
    SendOutcome outcome;
    std::string provider_id;
  };

  // Everything before the provider call: the address, the rate limit, the
  // rules, the rendering. An item that cannot go is settled here (nullopt).
  Result<std::optional<Job>> Prepare(DueItem item) {
    using Ready = std::optional<Job>;
    auto settled = [](Status status) -> Result<Ready> {
      if (!status) return Fail(status.error());
      return Ready();
    };
    auto recipient = LoadRecipient(database_, options_.tenant_id, item.customer_id);
    if (!recipient) return Fail(recipient.error());
    const std::string& address = recipient->AddressFor(item.channel);
    if (address.empty()) {
      ++stats_.blocked;
      return settled(Finish(item, "blocked", "",
                            item.channel == "letter"
                                ? std::string("no_address: the customer has no postal address")
                                : fmt::format("no_consent: the customer has no usable {} contact with consent",
                                              ContactPointChannel(item.channel)),
                            ""));
    }
    // The rate limit before the rules: after a wait the rules see the time
    // the message really leaves.
    Pacer* pacer = item.channel == "email"      ? senders_.email_pacer
                   : item.channel == "sms"      ? senders_.sms_pacer
                   : item.channel == "whatsapp" ? senders_.whatsapp_pacer
                                                : nullptr;
    if (pacer != nullptr) pacer->Wait();
    const Timestamp now = clock_.Now();
    const std::string_view zone =
        IsKnownTimeZone(recipient->time_zone) ? std::string_view(recipient->time_zone) : std::string_view("UTC");
    // A reminder whose stage is over (a "before due" one after the due
    // date, a stage the next one replaced) is not sent late: it expires.
    const std::optional<Date> window_end = WindowEnd(item.payload);
    if (window_end && DateIn(zone, now) >= *window_end) {
      ++stats_.expired;
      return settled(Finish(item, "expired", "",
                            fmt::format("expired: its stage ended on {} before it could be sent", window_end->ToIso()),
                            ""));
    }
    // The rulebook again, with what was really sent since the run planned it.
    auto history = LoadHistory(database_, options_.tenant_id, item.customer_id, now);
    if (!history) return Fail(history.error());
    compliance::ContactRequest request;
    request.channel = *compliance::ParseChannel(item.channel);
    request.at = now;
    request.time_zone = recipient->time_zone;
    request.country = recipient->country;
    request.authorised_channels = recipient->reach.access.authorised_by_debtor;
    const compliance::Rulebook& rulebook = compliance::RulebookFor(
        recipient->country, recipient->consumer ? compliance::DebtorKind::kConsumer : compliance::DebtorKind::kBusiness);
    const compliance::ContactDecision decision = compliance::CheckContact(rulebook, request, *history);
    if (!decision.allowed()) {
      const std::string reason =
          fmt::format("{}: {}", compliance::BlockCodeName(decision.code), decision.reason_en);
      if (decision.next_allowed && window_end && DateIn(zone, *decision.next_allowed) >= *window_end) {
        ++stats_.expired;
        return settled(Finish(item, "expired", "",
                              fmt::format("expired: {}; the next allowed time is after its stage ended on {}", reason,
                                          window_end->ToIso()),
                              ""));
      }
      if (decision.next_allowed) {
        ++stats_.deferred;
        return settled(Requeue(item, *decision.next_allowed, reason, false));
      }
      ++stats_.blocked;
      return settled(Finish(item, "blocked", "", reason, ""));
    }

    auto context = ContextFor(item, now);
    if (!context) {
      ++stats_.failed;
      return settled(Finish(item, "failed", "", fmt::format("render: {}", context.error().message), ""));
    }
    if (item.channel == "letter") return settled(PrintLetter(item, *recipient, *context, now));
    Job job;
    job.address = address;
    Status composed;
    if (item.channel == "email") {
      auto email = ComposeEmail(item, *recipient, *context, now);
      if (email) job.email = std::move(*email);
      if (!email) composed = Fail(email.error());
    } else if (item.channel == "whatsapp" && senders_.whatsapp_cloud_settings != nullptr) {
      auto whatsapp = ComposeWhatsapp(item, address, *context, now);
      if (!whatsapp && whatsapp.error().code != ErrorCode::kBadInput) return Fail(whatsapp.error());
      if (whatsapp) job.whatsapp = std::move(*whatsapp);
      if (!whatsapp) composed = Fail(whatsapp.error());
    } else {
      auto text = ComposeText(item, *context);
      if (text) job.text = std::move(*text);
      if (!text) composed = Fail(text.error());
    }
    if (!composed) {
      ++stats_.failed;
      return settled(Finish(item, "failed", "", fmt::format("render: {}", composed.error().message), ""));
    }
    job.item = std::move(item);
    return Ready(std::move(job));
  }

  // Waits for the batch in flight, then in one transaction records its
  // outcomes and claims the next batch (committed before any provider is
  // called: if we die during the calls, the items are found in `sending` and
  // are not sent again), and sends the new batch at once, one job per lane.
  Status Launch(std::vector<Job> batch) {
    for (std::jthread& lane : lanes_in_flight_) lane.join();
    lanes_in_flight_.clear();
    if (in_flight_.empty() && batch.empty()) return {};
    const Timestamp now = clock_.Now();
    {
      auto transaction = Transaction::Begin(database_);
      if (!transaction) return Fail(transaction.error());
      for (Job& job : in_flight_) {
        if (!job.claimed) continue;
        if (auto recorded = Record(job, now); !recorded) return recorded;
      }
      for (Job& job : batch) {
        auto claimed = ClaimIn(job.item, job.address, job.email ? job.email->message_id : "", now);
        if (!claimed) return Fail(claimed.error());
        job.claimed = *claimed;  // false: another worker took it
      }
      if (auto committed = transaction->Commit(); !committed) return committed;
    }
    in_flight_ = std::move(batch);
    for (size_t i = 0; i < in_flight_.size(); ++i) {
      if (!in_flight_[i].claimed) continue;
      lanes_in_flight_.emplace_back([this, i] { SendOn(senders_.lanes[i], in_flight_[i]); });
    }
    return {};
  }

  // On a lane's own connection; touches nothing but the job.
  static void SendOn(const SenderLane& lane, Job& job) {
    if (job.email) {
      job.outcome = lane.smtp->Send(*job.email);
      job.provider_id = job.email->message_id;
      return;
    }
    TextSendOutcome sent =
        job.whatsapp ? lane.whatsapp_cloud->Send(*job.whatsapp)
                     : lane.twilio->Send(job.item.channel == "sms" ? TextChannel::kSms : TextChannel::kWhatsapp,
                                         job.address, job.text);
    job.outcome = std::move(sent.outcome);
    job.provider_id = std::move(sent.provider_id);
  }

  // REQUIRES: inside Launch's transaction.
  Status Record(Job& job, Timestamp now) {
    const DueItem& item = job.item;
    SendOutcome& outcome = job.outcome;
    if (item.channel == "sms") {
      // Kept with the attempt: each segment is billed.
      const templates::SmsLength length = templates::MeasureSms(job.text);
      outcome.detail += fmt::format("; {} SMS segment{} ({})", length.segments, length.segments == 1 ? "" : "s",
                                    length.encoding == templates::SmsEncoding::kGsm7 ? "GSM-7" : "UCS-2");
    }
    switch (outcome.result) {
      case SendResult::kSent:
        ++stats_.sent;
        return WriteFinish(item, "sent", job.provider_id, outcome.detail, job.address);
      case SendResult::kPermanent:
        ++stats_.failed;
        if (auto marked = WriteAddressBad(item, job.address, outcome.detail); !marked) return marked;
        return WriteFinish(item, "failed", "", outcome.detail, job.address);
      case SendResult::kTransient:
        if (item.attempts + 1 >= options_.max_attempts) {
          ++stats_.failed;
          return WriteFinish(item, "failed", "",
                             fmt::format("{} (gave up after {} attempts)", outcome.detail, item.attempts + 1),
                             job.address);
        }
        ++stats_.retrying;
        return WriteRequeue(item, now + RetryDelay(options_, item.attempts + 1), outcome.detail, true);
      case SendResult::kUnknown:
        // It may have arrived: a person checks, as after a crash.
        ++stats_.unknown;
        return WriteFinish(item, "unknown", "",
                           fmt::format("{}: check whether it arrived, then `cartera outbox resolve`", outcome.detail),
                           job.address);
    }
    return {};
  }

  // The script's values: the invoices the run named, still open, undisputed
  // and of the stage's kind (a reminder held past the due date speaks of
  // none), and the links when a portal is configured.
  Result<templates::MessageContext> ContextFor(const DueItem& item, Timestamp now) {
    std::vector<int64_t> invoice_ids;
    if (item.payload.is_object() && item.payload.contains("invoice_ids")) {
      for (const auto& id : item.payload["invoice_ids"]) invoice_ids.push_back(id.get<int64_t>());
    }
    auto context = BuildMessageContext(database_, options_.tenant_id, item.customer_id, invoice_ids, std::nullopt, now);
    if (!context) return Fail(context.error());
    if (context->invoices.empty()) {
      return Fail(Error::BadInput("its invoices were paid, credited or disputed since the run"));
    }
    if (auto stage = templates::ParseStage(item.template_name)) {
      templates::KeepInvoicesForStage(*stage, context->invoices);
      if (context->invoices.empty()) {
        return Fail(Error::BadInput(
            fmt::format("its invoices are no longer what the {} script speaks of (invoices {}): the next run plans "
                        "what is due",
                        item.template_name, templates::StageInvoicesDescription(*stage, context->as_of))));
      }
    }
    if (!options_.portal_base_url.empty() && options_.link_key != nullptr) {
      const nlohmann::json pay = {{"tenant", options_.tenant_id},
                                  {"customer", item.customer_id},
                                  {"invoices", invoice_ids},
                                  {"currency", std::string(context->currency.code())}};
      context->payment_link = fmt::format(
          "{}/pay/{}", options_.portal_base_url,
          SignToken(*options_.link_key, TokenPurpose::kPaymentLink, pay, now + options_.payment_link_valid));
    }
    return context;
  }

  Result<templates::MessageTemplate> ScriptFor(const DueItem& item, templates::Channel channel,
                                               templates::Language language) {
    auto stage = templates::ParseStage(item.template_name);
    if (!stage) return Fail(Error::BadInput(fmt::format("no script for template '{}'", item.template_name)));
    // A strategy may ask for a tone no script is written in yet: the
    // cordial script of the stage is the safe choice.
    auto script = templates::DefaultTemplate(*stage, channel, language, item.tone);
    if (!script) script = templates::DefaultTemplate(*stage, channel, language, templates::kDefaultTone);
    return script;
  }

  Result<std::string> ComposeText(const DueItem& item, const templates::MessageContext& context) {
    auto script = ScriptFor(item, item.channel == "sms" ? templates::Channel::kSms : templates::Channel::kWhatsapp,
                            templates::LanguageOf(context.locale));
    if (!script) return Fail(script.error());
    auto rendered = templates::Render(*script, context);
    if (!rendered) return Fail(rendered.error());
    return rendered->body;
  }

  // Inside the 24-hour window the debtor opened by writing to us, the
  // stage's own script as free text; outside it, the approved template.
  Result<WhatsappMessage> ComposeWhatsapp(const DueItem& item, const std::string& address,
                                          const templates::MessageContext& context, Timestamp now) {
    WhatsappMessage message;
    message.to = address;
    auto window = database_.Prepare(
        "SELECT 1 FROM inbound_messages WHERE tenant_id = ? AND customer_id = ? AND channel = 'whatsapp' AND "
        "opt_out = 0 AND received_at >= ? LIMIT 1");
    if (!window) return Fail(window.error());
    (*window)->BindInt64(1, options_.tenant_id);
    (*window)->BindInt64(2, item.customer_id);
    (*window)->BindText(3, FormatUtc(now - std::chrono::hours(24)));
    auto open = (*window)->Step();
    if (!open) return Fail(open.error());
    if (*open) {
      auto text = ComposeText(item, context);
      if (!text) return Fail(text.error());
      message.text = std::move(*text);
      return message;
    }
    const std::string& link = context.payment_link;
    const std::string token = link.empty() ? "" : link.substr(link.rfind('/') + 1);
    message.template_message =
        WhatsappTemplateFor(senders_.whatsapp_cloud_settings->template_prefix, item.template_name, context, token);
    return message;
  }

  Result<EmailMessage> ComposeEmail(const DueItem& item, const Recipient& recipient,
                                    const templates::MessageContext& context, Timestamp now) {
    auto script = ScriptFor(item, templates::Channel::kEmail, templates::LanguageOf(context.locale));
    if (!script) return Fail(script.error());
    auto rendered = templates::Render(*script, context);
    if (!rendered) return Fail(rendered.error());
    const SmtpSettings& settings = *senders_.smtp_settings;
    EmailMessage message;
    message.from_address = settings.from_address;
    message.from_name = settings.from_name.empty() ? context.company_name : settings.from_name;
    message.reply_to = settings.reply_to;
    message.to_address = recipient.reach.email;
    message.to_name = recipient.name;
    message.subject = rendered->subject;
    // CRLF line ends: quoted-printable then keeps lines as lines.
    message.html = WithCrlf(rendered->body);
    message.text = WithCrlf(HtmlToText(rendered->body));
    message.message_id = MessageIdFor(item.key, settings.from_address);
    message.date = now;
    if (item.payload.is_object() && item.payload.value("attach_statement", false)) {
      auto pdf = pdf::StatementPdfForCustomer(database_, options_.tenant_id, item.customer_id, std::nullopt,
                                              std::nullopt, now);
      if (!pdf) return Fail(pdf.error());
      const bool spanish = templates::LanguageOf(context.locale) == templates::Language::kEs;
      message.attachments.push_back(
          {fmt::format("{}-{}.pdf", spanish ? "estado-de-cuenta" : "statement", FileSafe(recipient.external_id)),
           "application/pdf", std::move(*pdf)});
    }
    if (!options_.portal_base_url.empty() && options_.link_key != nullptr) {
      const nlohmann::json stop = {{"tenant", options_.tenant_id},
                                   {"customer", item.customer_id},
                                   {"channel", "email"},
                                   {"address", recipient.reach.email}};
      message.unsubscribe_url = fmt::format(
          "{}/unsubscribe/{}", options_.portal_base_url,
          SignToken(*options_.link_key, TokenPurpose::kUnsubscribe, stop, now + std::chrono::days(3650)));
    }
    return message;
  }

  // A letter is written as a PDF into the letters directory, for printing.
  // Claimed first like any send; writing the same file again is harmless,
  // so an item a crash leaves `unknown` can simply be resent.
  Status PrintLetter(DueItem& item, const Recipient& recipient, const templates::MessageContext& context,
                     Timestamp now) {
    auto stage = templates::ParseStage(item.template_name);
    if (!stage) {
      ++stats_.failed;
      return Finish(item, "failed", "", fmt::format("render: no letter for template '{}'", item.template_name), "");
    }
    auto pdf = pdf::LetterPdfForCustomer(database_, options_.tenant_id, item.customer_id, *stage, item.tone, context,
                                         std::nullopt);
    if (!pdf && pdf.error().code == ErrorCode::kNotFound) {  // no letter in that tone: the cordial one
      pdf = pdf::LetterPdfForCustomer(database_, options_.tenant_id, item.customer_id, *stage, templates::kDefaultTone,
                                      context, std::nullopt);
    }
    if (!pdf) {
      ++stats_.failed;
      return Finish(item, "failed", "", fmt::format("render: {}", pdf.error().message), "");
    }
    const std::filesystem::path file =
        std::filesystem::path(options_.letters_dir) /
        fmt::format("{}-{}-{}-{}.pdf", FormatUtc(now).substr(0, 10), FileSafe(recipient.external_id),
                    item.template_name, item.id);
    auto claimed = Claim(item, recipient.reach.postal, file.filename().string(), now);
    if (!claimed) return Fail(claimed.error());
    if (!*claimed) return {};
    const std::filesystem::path partial = file.string() + ".part";
    {
      std::ofstream out(partial, std::ios::binary);
      out.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
      if (!out) {
        ++stats_.retrying;
        return Requeue(item, now + RetryDelay(options_, item.attempts + 1),
                       fmt::format("could not write {}", partial.string()), true);
      }
    }
    std::error_code error;
    std::filesystem::rename(partial, file, error);
    if (error) {
      ++stats_.retrying;
      return Requeue(item, now + RetryDelay(options_, item.attempts + 1),
                     fmt::format("could not write {}: {}", file.string(), error.message()), true);
    }
    ++stats_.sent;
    return Finish(item, "sent", file.filename().string(), file.string(), recipient.reach.postal);
  }

  Result<bool> Claim(DueItem& item, const std::string& address, const std::string& message_id, Timestamp now) {
    auto transaction = Transaction::Begin(database_);
    if (!transaction) return Fail(transaction.error());
    auto claimed = ClaimIn(item, address, message_id, now);
    if (!claimed || !*claimed) return claimed;
    if (auto committed = transaction->Commit(); !committed) return Fail(committed.error());
    return true;
  }

  // REQUIRES: inside the caller's transaction.
  Result<bool> ClaimIn(DueItem& item, const std::string& email, const std::string& message_id, Timestamp now) {
    auto update = database_.Prepare(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, recipient = ?, provider_message_id = ?, "
        "attempted_at = ? WHERE tenant_id = ? AND id = ? AND status = 'queued'");
    if (!update) return Fail(update.error());
    (*update)->BindText(1, email);
    (*update)->BindText(2, message_id);
    (*update)->BindText(3, FormatUtc(now));
    (*update)->BindInt64(4, options_.tenant_id);
    (*update)->BindInt64(5, item.id);
    if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
    if ((*update)->ChangedRows() != 1) return false;
    item.claimed = true;
    auto attempt = database_.Prepare(
        "INSERT INTO delivery_attempts (tenant_id, outbox_id, attempt, channel, recipient, status, started_at) "
        "VALUES (?, ?, ?, ?, ?, 'sending', ?)");
    if (!attempt) return Fail(attempt.error());
    (*attempt)->BindInt64(1, options_.tenant_id);
    (*attempt)->BindInt64(2, item.id);
    (*attempt)->BindInt64(3, item.attempts + 1);
    (*attempt)->BindText(4, item.channel);
    (*attempt)->BindText(5, email);
    (*attempt)->BindText(6, FormatUtc(now));
    if (auto ok = (*attempt)->Run(); !ok) return Fail(ok.error());
    return true;
  }

  // Ends the item's current attempt (if any) and sets its final status.
  Status Finish(const DueItem& item, std::string_view status, const std::string& message_id, const std::string& detail,
                const std::string& recipient) {
    auto transaction = Transaction::Begin(database_);
    if (!transaction) return Fail(transaction.error());
    if (auto ok = WriteFinish(item, status, message_id, detail, recipient); !ok) return ok;
    return transaction->Commit();
  }

  // REQUIRES: inside the caller's transaction.
  Status WriteFinish(const DueItem& item, std::string_view status, const std::string& message_id,
                     const std::string& detail, const std::string& recipient) {
    const std::string now = FormatUtc(clock_.Now());
    auto update = database_.Prepare(
        "UPDATE outbox SET status = ?, last_error = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
        "provider_message_id = COALESCE(?, provider_message_id) WHERE tenant_id = ? AND id = ? AND status = ?");
    if (!update) return Fail(update.error());
    (*update)->BindText(1, status);
    status == "sent" ? (*update)->BindNull(2) : (*update)->BindText(2, detail);
    (*update)->BindText(3, status);
    (*update)->BindText(4, now);
    message_id.empty() ? (*update)->BindNull(5) : (*update)->BindText(5, message_id);
    (*update)->BindInt64(6, options_.tenant_id);
    (*update)->BindInt64(7, item.id);
    (*update)->BindText(8, item.expected_status());
    if (auto ok = (*update)->Run(); !ok) return ok;
    if ((*update)->ChangedRows() == 0) return {};  // someone else settled it: theirs stands
    if (auto ok = EndAttempt(item, status, message_id, detail, now); !ok) return ok;
    nlohmann::json after = {{"status", status}};
    if (!recipient.empty()) after["recipient"] = recipient;
    if (!message_id.empty()) after["message_id"] = message_id;
    if (status != "sent") after["reason"] = detail;
    if (auto ok = WriteAudit(database_, options_.tenant_id, Stamped(), "message", item.id, "update",
                             fmt::format(R"({{"status":"{}"}})", item.expected_status()), after.dump());
        !ok) {
      return ok;
    }
    return {};
  }

  Status Requeue(const DueItem& item, Timestamp at, const std::string& detail, bool attempted) {
    auto transaction = Transaction::Begin(database_);
    if (!transaction) return Fail(transaction.error());
    if (auto ok = WriteRequeue(item, at, detail, attempted); !ok) return ok;
    return transaction->Commit();
  }

  // REQUIRES: inside the caller's transaction.
  Status WriteRequeue(const DueItem& item, Timestamp at, const std::string& detail, bool attempted) {
    auto update = database_.Prepare(
        "UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ? WHERE tenant_id = ? AND id = ? AND "
        "status = ?");
    if (!update) return Fail(update.error());
    (*update)->BindText(1, FormatUtc(at));
    (*update)->BindText(2, detail);
    (*update)->BindInt64(3, options_.tenant_id);
    (*update)->BindInt64(4, item.id);
    (*update)->BindText(5, item.expected_status());
    if (auto ok = (*update)->Run(); !ok) return ok;
    if ((*update)->ChangedRows() == 0) return {};
    if (attempted) {
      if (auto ok = EndAttempt(item, "transient", "", detail, FormatUtc(clock_.Now())); !ok) return ok;
    }
    return {};
  }

  Status EndAttempt(const DueItem& item, std::string_view status, const std::string& message_id,
                    const std::string& detail, const std::string& now) {
    auto update = database_.Prepare(
        "UPDATE delivery_attempts SET status = ?, provider_message_id = ?, detail = ?, finished_at = ? "
        "WHERE tenant_id = ? AND outbox_id = ? AND status = 'sending'");
    if (!update) return Fail(update.error());
    (*update)->BindText(1, status);
    message_id.empty() ? (*update)->BindNull(2) : (*update)->BindText(2, message_id);
    (*update)->BindText(3, detail);
    (*update)->BindText(4, now);
    (*update)->BindInt64(5, options_.tenant_id);
    (*update)->BindInt64(6, item.id);
    return (*update)->Run();
  }

  // A permanent refusal: the address is not used again until someone fixes
  // it; the next run falls back to another channel.
  // REQUIRES: inside the caller's transaction.
  Status WriteAddressBad(const DueItem& item, const std::string& address, const std::string& detail) {
    auto update = database_.Prepare(
        "UPDATE contact_points SET usable = 0 WHERE tenant_id = ? AND customer_id = ? AND channel = ? AND "
        "value = ? AND usable = 1");
    if (!update) return Fail(update.error());
    (*update)->BindInt64(1, options_.tenant_id);
    (*update)->BindInt64(2, item.customer_id);
    (*update)->BindText(3, ContactPointChannel(item.channel));
    (*update)->BindText(4, address);
    if (auto ok = (*update)->Run(); !ok) return ok;
    if ((*update)->ChangedRows() > 0) {
      const nlohmann::json after = {
          {"channel", ContactPointChannel(item.channel)}, {"value", address}, {"usable", 0}, {"reason", detail}};
      if (auto ok = WriteAudit(database_, options_.tenant_id, Stamped(), "contact_point", item.customer_id, "update",
                               R"({"usable":1})", after.dump());
          !ok) {
        return ok;
      }
    }
    return {};
  }

  AuditContext Stamped() const {
    AuditContext audit = options_.audit;
    audit.at = FormatUtc(clock_.Now());
    return audit;
  }

  // The batch on its way and the threads sending it; the destructor waits
  // for them (an error mid-pass leaves those items `sending`, then `unknown`).
  std::vector<Job> in_flight_;
  std::vector<std::jthread> lanes_in_flight_;
  Database& database_;
  const Senders& senders_;
  const DeliveryOptions& options_;
  const Clock& clock_;
  DeliveryStats stats_;
};

}  // namespace

void Senders::OpenLanes(int count) {
  lanes.clear();
  for (int i = 0; i < std::max(count, 1); ++i) {
    SenderLane lane;
    if (smtp_settings != nullptr) lane.smtp = std::make_unique<SmtpSender>(*smtp_settings);
    if (twilio_settings != nullptr) lane.twilio = std::make_unique<TwilioSender>(*twilio_settings);
    if (whatsapp_cloud_settings != nullptr) {
      lane.whatsapp_cloud = std::make_unique<WhatsappCloudSender>(*whatsapp_cloud_settings);
    }
    lanes.push_back(std::move(lane));
  }
}

std::chrono::seconds RetryDelay(const DeliveryOptions& options, int32_t attempts) {
  std::chrono::seconds delay = options.first_retry;
  for (int32_t i = 1; i < attempts && delay < options.max_retry; ++i) delay *= 2;
  return std::min(delay, options.max_retry);
}

Result<int64_t> MarkInterruptedUnknown(Database& database, const DeliveryOptions& options, Timestamp now) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto outbox = database.Prepare(
      "UPDATE outbox SET status = 'unknown', last_error = 'the delivery worker stopped while sending: check whether "
      "it arrived, then `cartera outbox resolve`' WHERE tenant_id = ? AND status = 'sending'");
  if (!outbox) return Fail(outbox.error());
  (*outbox)->BindInt64(1, options.tenant_id);
  if (auto ok = (*outbox)->Run(); !ok) return Fail(ok.error());
  const int64_t marked = (*outbox)->ChangedRows();
  auto attempts = database.Prepare(
      "UPDATE delivery_attempts SET status = 'unknown', finished_at = ? WHERE tenant_id = ? AND status = 'sending'");
  if (!attempts) return Fail(attempts.error());
  (*attempts)->BindText(1, FormatUtc(now));
  (*attempts)->BindInt64(2, options.tenant_id);
  if (auto ok = (*attempts)->Run(); !ok) return Fail(ok.error());
  if (auto committed = transaction->Commit(); !committed) return Fail(committed.error());
  return marked;
}

Result<DeliveryStats> DeliverDue(Database& database, const Senders& senders, const DeliveryOptions& options,
                                 const Clock& clock) {
  Worker worker(database, senders, options, clock);
  return worker.Run();
}

}  // namespace cartera::delivery
