#include "delivery/delivery_worker.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "core/contact_address.h"
#include "core/time_zone.h"
#include "delivery/channel_pause.h"
#include "delivery/due_items.h"
#include "delivery/letter_printer.h"
#include "delivery/message_composer.h"
#include "delivery/send_check.h"
#include "store/retry.h"
#include "templates/gsm7.h"

namespace cartera::delivery {
namespace {

class Worker {
 public:
  Worker(Database& database, const Senders& senders, const DeliveryOptions& options, const Clock& clock)
      : database_(database),
        senders_(senders),
        options_(options),
        clock_(clock),
        transitions_(database, options, clock),
        composer_(database, options, senders.smtp_settings, senders.whatsapp_cloud_settings) {}

  Result<DeliveryStats> Run() {
    std::vector<std::string_view> channels;
    if (senders_.smtp_settings != nullptr) channels.push_back("email");
    if (senders_.twilio_settings != nullptr) channels.push_back("sms");
    if ((senders_.twilio_settings != nullptr && !senders_.twilio_settings->whatsapp_from.empty()) ||
        senders_.whatsapp_cloud_settings != nullptr) {
      channels.push_back("whatsapp");
    }
    if (!options_.letters_dir.empty()) channels.push_back("letter");
    // A channel the server paused (refusals in a row) waits for a person:
    // its items stay queued, no attempt counted (delivery/channel_pause.h).
    auto email_paused = IsChannelPaused(database_, options_.tenant_id, "email");
    if (!email_paused) return Fail(email_paused.error());
    if (*email_paused) std::erase(channels, std::string_view("email"));
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
      if (options_.stop != nullptr && options_.stop->load()) break;  // what is in flight still lands below
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
      if (item.channel == "email" && email_paused_) continue;
      if (auto landed = LandIfAnswered(); !landed) return Fail(landed.error());
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
  // stage and the law (send_check.h), the rendering. An item that cannot go
  // is settled here (nullopt).
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
      return settled(transitions_.Finish(item, "blocked", "",
                                         item.channel == "letter"
                                             ? std::string("no_address: the customer has no postal address")
                                             : fmt::format("no_consent: the customer has no usable {} contact with consent",
                                                           ContactPointChannel(item.channel)),
                                         ""));
    }
    // An address stored before imports checked them (a CR or LF in an
    // e-mail address would reach the SMTP conversation as a command) is
    // never sent to: the same rule as at import (core/contact_address.h).
    const bool well_formed = item.channel == "email"                              ? IsEmailAddress(address)
                             : item.channel == "sms" || item.channel == "whatsapp" ? IsE164PhoneNumber(address)
                                                                                   : true;
    if (!well_formed) {
      ++stats_.blocked;
      return settled(transitions_.Finish(
          item, "blocked", "",
          fmt::format("invalid_address: the customer's {} contact is not a valid address; correct it and the next run "
                      "plans again",
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
    auto check = CheckBeforeSend(database_, options_.tenant_id, item, *recipient, now);
    if (!check) return Fail(check.error());
    switch (check->verdict) {
      case Verdict::kSend: break;
      case Verdict::kExpire:
        ++stats_.expired;
        return settled(transitions_.Finish(item, "expired", "", check->reason, ""));
      case Verdict::kDefer:
        ++stats_.deferred;
        return settled(transitions_.Requeue(item, *check->retry_at, check->reason, false));
      case Verdict::kBlock:
        ++stats_.blocked;
        return settled(transitions_.Finish(item, "blocked", "", check->reason, ""));
    }

    auto context = composer_.ContextFor(item, now);
    if (!context) {
      ++stats_.failed;
      return settled(transitions_.Finish(item, "failed", "", fmt::format("render: {}", context.error().message), ""));
    }
    if (item.channel == "letter") {
      auto printed = PrintLetter(database_, options_, transitions_, item, *recipient, *context, now);
      if (!printed) return Fail(printed.error());
      stats_.sent += *printed == LetterResult::kPrinted;
      stats_.failed += *printed == LetterResult::kFailed;
      stats_.retrying += *printed == LetterResult::kRetrying;
      return Ready();
    }
    Job job;
    job.address = address;
    Status composed;
    if (item.channel == "email") {
      auto email = composer_.ComposeEmail(item, *recipient, *context, now);
      if (email) job.email = std::move(*email);
      if (!email) composed = Fail(email.error());
    } else if (item.channel == "whatsapp" && senders_.whatsapp_cloud_settings != nullptr) {
      auto whatsapp = composer_.ComposeWhatsapp(item, address, *context, now);
      if (!whatsapp && whatsapp.error().code != ErrorCode::kBadInput) return Fail(whatsapp.error());
      if (whatsapp) job.whatsapp = std::move(*whatsapp);
      if (!whatsapp) composed = Fail(whatsapp.error());
    } else {
      auto text = composer_.ComposeText(item, *context);
      if (text) job.text = std::move(*text);
      if (!text) composed = Fail(text.error());
    }
    if (!composed) {
      ++stats_.failed;
      return settled(transitions_.Finish(item, "failed", "", fmt::format("render: {}", composed.error().message), ""));
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
    // One transaction, tried again while the database is busy: everything
    // it changes outside the database is reset at the start of each try.
    const DeliveryStats stats_before = stats_;
    const bool paused_before = email_paused_;
    auto record_and_claim = [&]() -> Status {
      stats_ = stats_before;
      email_paused_ = paused_before;
      auto transaction = Transaction::Begin(database_);
      if (!transaction) return Fail(transaction.error());
      for (Job& job : in_flight_) {
        if (!job.claimed) continue;
        if (auto recorded = Record(job, now); !recorded) return recorded;
      }
      for (Job& job : batch) {
        job.claimed = job.item.claimed = false;
        if (job.item.channel == "email" && email_paused_) continue;  // paused by this batch's answers
        auto claimed = transitions_.ClaimIn(job.item, job.address, job.email ? job.email->message_id : "", now);
        if (!claimed) return Fail(claimed.error());
        job.claimed = *claimed;  // false: another worker took it
      }
      return transaction->Commit();
    };
    if (auto done = RetryTransient(RetryPolicy{}, RealSleep(), record_and_claim); !done) return done;
    in_flight_ = std::move(batch);
    lanes_done_ = 0;
    for (size_t i = 0; i < in_flight_.size(); ++i) {
      if (!in_flight_[i].claimed) continue;
      lanes_in_flight_.emplace_back([this, i] {
        SendOn(senders_.lanes[i], in_flight_[i]);
        lanes_done_.fetch_add(1, std::memory_order_release);
      });
    }
    return {};
  }

  // When every send in flight has its answer, records the answers now
  // instead of when the next batch is ready: a worker that dies while it
  // prepares that batch leaves nothing `sending` that was already sent.
  Status LandIfAnswered() {
    if (lanes_in_flight_.empty() || lanes_done_.load(std::memory_order_acquire) < lanes_in_flight_.size()) return {};
    return Launch({});
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
    SendOutcome outcome = job.outcome;  // a copy: a retried transaction records it again
    if (item.channel == "sms") {
      // Kept with the attempt: each segment is billed.
      const templates::SmsLength length = templates::MeasureSms(job.text);
      outcome.detail += fmt::format("; {} SMS segment{} ({})", length.segments, length.segments == 1 ? "" : "s",
                                    length.encoding == templates::SmsEncoding::kGsm7 ? "GSM-7" : "UCS-2");
    }
    if (item.channel == "email") {
      // A server's refusals in a row pause the channel; an accepted message
      // ends the run.
      auto paused = RecordSendOutcome(database_, options_.tenant_id, "email", outcome, now, transitions_.Stamped());
      if (!paused) return Fail(paused.error());
      if (*paused) email_paused_ = stats_.email_paused = true;
    }
    switch (outcome.result) {
      case SendResult::kSent:
        ++stats_.sent;
        return transitions_.WriteFinish(item, "sent", job.provider_id, outcome.detail, job.address);
      case SendResult::kPermanent:
        ++stats_.failed;
        // Only a refusal of the address itself makes it unusable; a server
        // refusing the message for its own reasons fails this message only.
        if (outcome.AddressUnusable()) {
          if (auto marked = transitions_.WriteAddressBad(item, job.address, outcome.detail); !marked) return marked;
        }
        return transitions_.WriteFinish(item, "failed", "", outcome.detail, job.address);
      case SendResult::kTransient:
        if (item.attempts + 1 >= options_.max_attempts) {
          ++stats_.failed;
          return transitions_.WriteFinish(item, "failed", "",
                             fmt::format("{} (gave up after {} attempts)", outcome.detail, item.attempts + 1),
                             job.address);
        }
        ++stats_.retrying;
        return transitions_.WriteRequeue(
            item, now + std::max<std::chrono::seconds>(RetryDelay(options_, item.attempts + 1),
                                                       outcome.retry_after.value_or(std::chrono::seconds(0))),
            outcome.detail, true);
      case SendResult::kUnknown:
        // It may have arrived: a person checks, as after a crash.
        ++stats_.unknown;
        return transitions_.WriteFinish(item, "unknown", "",
                           fmt::format("{}: check whether it arrived, then `cartera outbox resolve`", outcome.detail),
                           job.address);
    }
    return {};
  }

  // The batch on its way and the threads sending it; the destructor waits
  // for them (an error mid-pass leaves those items `sending`, then `unknown`).
  std::vector<Job> in_flight_;
  std::vector<std::jthread> lanes_in_flight_;
  std::atomic<size_t> lanes_done_{0};  // lanes of the batch in flight that have their answer
  Database& database_;
  const Senders& senders_;
  const DeliveryOptions& options_;
  const Clock& clock_;
  SendTransitions transitions_;
  MessageComposer composer_;
  DeliveryStats stats_;
  bool email_paused_ = false;  // the server's refusals paused email during this pass
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

Result<DeliveryStats> DeliverDue(Database& database, const Senders& senders, const DeliveryOptions& options,
                                 const Clock& clock) {
  // A claim must survive an OS crash before the provider is called, or the
  // message could be sent again: every commit of the worker is synced.
  if (auto durable = database.SetDurability(Database::Durability::kFull); !durable) return Fail(durable.error());
  Worker worker(database, senders, options, clock);
  return worker.Run();
}

}  // namespace cartera::delivery
