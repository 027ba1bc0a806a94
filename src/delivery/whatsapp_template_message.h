// The approved WhatsApp template a collection stage is sent with, outside
// the 24-hour window. The business registers, per stage and language, a
// UTILITY template named prefix + stage ("cartera_overdue_7") whose body
// takes these parameters, in this order (docs/delivery.md has an example):
//   {{1}} the debtor's name        {{2}} the company's name
//   {{3}} the total due            {{4}} the invoice numbers ("F-1001, F-1002")
//   {{5}} the oldest due date
// and, when the portal is configured, a URL button
// "https://<portal>/p/{{1}}" whose suffix is the signed payment token.
#pragma once

#include <string>
#include <string_view>

#include "delivery/whatsapp_cloud_sender.h"
#include "templates/message_renderer.h"

namespace cartera::delivery {

inline constexpr int kWhatsappTemplateParameters = 5;

// `payment_token` is the last part of the payment link ("" without one).
WhatsappTemplate WhatsappTemplateFor(std::string_view prefix, std::string_view stage,
                                     const templates::MessageContext& context, const std::string& payment_token);

}  // namespace cartera::delivery
