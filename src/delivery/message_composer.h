// Renders an outbox item for its channel: the script's values (the invoices
// still open and of the stage's kind, the payment and unsubscribe links),
// then an e-mail, an SMS text or a WhatsApp message (free text inside the
// 24-hour window the debtor opened, the approved template outside it).
#pragma once

#include <string>

#include "core/clock.h"
#include "delivery/delivery_options.h"
#include "delivery/due_items.h"
#include "delivery/email_message.h"
#include "delivery/smtp_sender.h"
#include "delivery/whatsapp_cloud_sender.h"
#include "templates/message_renderer.h"

namespace cartera::delivery {

// A customer's external id as part of a file name.
std::string FileSafe(std::string_view text);

class MessageComposer {
 public:
  // Either settings may be null when that channel is not configured.
  MessageComposer(Database& database, const DeliveryOptions& options, const SmtpSettings* smtp_settings,
                  const WhatsappCloudSettings* whatsapp_cloud_settings)
      : database_(database),
        options_(options),
        smtp_settings_(smtp_settings),
        whatsapp_cloud_settings_(whatsapp_cloud_settings) {}

  // kBadInput when nothing the script speaks of is left to say.
  Result<templates::MessageContext> ContextFor(const DueItem& item, Timestamp now);
  Result<std::string> ComposeText(const DueItem& item, const templates::MessageContext& context);
  // REQUIRES: WhatsApp Cloud settings.
  Result<WhatsappMessage> ComposeWhatsapp(const DueItem& item, const std::string& address,
                                          const templates::MessageContext& context, Timestamp now);
  // REQUIRES: SMTP settings.
  Result<EmailMessage> ComposeEmail(const DueItem& item, const Recipient& recipient,
                                    const templates::MessageContext& context, Timestamp now);

 private:
  Result<templates::MessageTemplate> ScriptFor(const DueItem& item, templates::Channel channel,
                                               templates::Language language);

  Database& database_;
  const DeliveryOptions& options_;
  const SmtpSettings* smtp_settings_;
  const WhatsappCloudSettings* whatsapp_cloud_settings_;
};

}  // namespace cartera::delivery
