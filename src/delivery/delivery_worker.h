// The delivery worker: takes the outbox items that are due, checks consent
// and the debtor's rulebook again at send time, renders the script, sends
// it, and records every attempt. Exactly-once where it matters: an item is
// marked `sending` in a committed transaction before the provider is called,
// so an item a crash leaves in `sending` is found on restart and becomes
// `unknown` (for a person to resolve), never resent blindly.
//
// Outbox states: queued -> sending -> sent | failed; queued with a
// next_attempt_at after a transient failure or a rule that says "later";
// blocked when consent or a rule forbids it for good; unknown after a crash;
// expired when its stage was over before it could go (payload window_ends).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "delivery/delivery_options.h"
#include "delivery/pacer.h"
#include "delivery/send_transitions.h"
#include "delivery/secret_box.h"
#include "delivery/smtp_sender.h"
#include "delivery/twilio_sender.h"
#include "delivery/whatsapp_cloud_sender.h"
#include "store/audit.h"
#include "store/database.h"

namespace cartera::delivery {

// One connection to each configured provider. A pass sends on several lanes
// at once: a real provider answers in tens or hundreds of milliseconds, and
// one connection would wait for each answer in turn. After a crash, at most
// one item per lane is `unknown`.
struct SenderLane {
  std::unique_ptr<SmtpSender> smtp;
  std::unique_ptr<TwilioSender> twilio;
  std::unique_ptr<WhatsappCloudSender> whatsapp_cloud;
};

// The configured channels; a channel without settings is left queued.
struct Senders {
  const SmtpSettings* smtp_settings = nullptr;
  const TwilioSettings* twilio_settings = nullptr;  // SMS, and WhatsApp when it has a WhatsApp number
  // WhatsApp through Meta's Cloud API; when set, it carries WhatsApp
  // instead of Twilio.
  const WhatsappCloudSettings* whatsapp_cloud_settings = nullptr;
  std::vector<SenderLane> lanes;
  // The tenant's rate limit per channel; they outlive a pass, so a worker
  // that passes every few seconds still keeps the limit per minute.
  Pacer* email_pacer = nullptr;
  Pacer* sms_pacer = nullptr;
  Pacer* whatsapp_pacer = nullptr;

  // `count` lanes, each with a sender for every channel configured above.
  void OpenLanes(int count);
};

// One pass over the items due at clock.Now().
Result<DeliveryStats> DeliverDue(Database& database, const Senders& senders, const DeliveryOptions& options,
                                 const Clock& clock);

}  // namespace cartera::delivery
