#include "delivery/message_composer.h"

#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_zone.h"
#include "delivery/message_context.h"
#include "delivery/plan_message.h"
#include "delivery/message_id.h"
#include "delivery/portal_link.h"
#include "delivery/signed_token.h"
#include "delivery/template_overrides.h"
#include "delivery/whatsapp_template_message.h"
#include "pdf/customer_documents.h"
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

}  // namespace

std::string FileSafe(std::string_view text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return out;
}

Result<templates::MessageContext> MessageComposer::ContextFor(const DueItem& item, Timestamp now) {
  std::vector<int64_t> invoice_ids;
  if (item.payload.is_object() && item.payload.contains("invoice_ids")) {
    for (const auto& id : item.payload["invoice_ids"]) invoice_ids.push_back(id.get<int64_t>());
  }
  auto context = BuildMessageContext(database_, options_.tenant_id, item.customer_id, invoice_ids, std::nullopt, now);
  if (!context) return Fail(context.error());
  if (context->invoices.empty()) {
    return Fail(Error::BadInput("its invoices were paid, credited or disputed since the run"));
  }
  if (item.payload.is_object() && item.payload.contains("dispute_reason") && item.payload["dispute_reason"].is_string()) {
    context->dispute_reason = item.payload["dispute_reason"].get<std::string>();  // dispute_rejected
  }
  ApplyPlanPayload(item.payload, *context);  // a payment plan's installment (delivery/plan_message.h)
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
    // The debtor portal's link (delivery/portal_link.h), naming what this message speaks of.
    const nlohmann::json named = {{"invoices", invoice_ids}, {"currency", std::string(context->currency.code())}};
    context->payment_link = PortalLinkUntil(*options_.link_key, options_.tenant_id, item.customer_id,
                                            options_.portal_base_url, now + options_.payment_link_valid, named);
  }
  return context;
}

Result<templates::MessageTemplate> MessageComposer::ScriptFor(const DueItem& item, templates::Channel channel,
                                             templates::Language language) {
  auto stage = templates::ParseStage(item.template_name);
  if (!stage) return Fail(Error::BadInput(fmt::format("no script for template '{}'", item.template_name)));
  // A strategy may ask for a tone no script is written in yet: the
  // cordial script of the stage is the safe choice.
  // The tenant's own script when it has one (TenantTemplate), else the shipped one.
  auto script = TenantTemplate(database_, options_.tenant_id, *stage, channel, language, item.tone);
  if (!script && script.error().code == ErrorCode::kNotFound) {
    script = TenantTemplate(database_, options_.tenant_id, *stage, channel, language, templates::kDefaultTone);
  }
  if (!script) return Fail(script.error());
  return std::move(script->script);
}

Result<std::string> MessageComposer::ComposeText(const DueItem& item, const templates::MessageContext& context) {
  auto script = ScriptFor(item, item.channel == "sms" ? templates::Channel::kSms : templates::Channel::kWhatsapp,
                          templates::LanguageOf(context.locale));
  if (!script) return Fail(script.error());
  auto rendered = templates::Render(*script, context);
  if (!rendered) return Fail(rendered.error());
  return rendered->body;
}

Result<WhatsappMessage> MessageComposer::ComposeWhatsapp(const DueItem& item, const std::string& address,
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
      WhatsappTemplateFor(whatsapp_cloud_settings_->template_prefix, item.template_name, context, token);
  return message;
}

Result<EmailMessage> MessageComposer::ComposeEmail(const DueItem& item, const Recipient& recipient,
                                  const templates::MessageContext& context, Timestamp now) {
  auto script = ScriptFor(item, templates::Channel::kEmail, templates::LanguageOf(context.locale));
  if (!script) return Fail(script.error());
  auto rendered = templates::Render(*script, context);
  if (!rendered) return Fail(rendered.error());
  const SmtpSettings& settings = *smtp_settings_;
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
  // Signed, so a bounce report proves it is about a message we sent.
  message.message_id = options_.link_key != nullptr
                           ? SignedMessageIdFor(*options_.link_key, options_.tenant_id, item.key, settings.from_address)
                           : MessageIdFor(item.key, settings.from_address);
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

}  // namespace cartera::delivery
