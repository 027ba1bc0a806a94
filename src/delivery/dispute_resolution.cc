#include "delivery/dispute_resolution.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "collection/dispute_reasons.h"
#include "collection/portfolio.h"
#include "core/language.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "delivery/due_items.h"
#include "delivery/message_context.h"
#include "delivery/send_check.h"
#include "report/list_page.h"
#include "report/output.h"
#include "store/credit_note_post.h"
#include "store/sql_dialect.h"
#include "templates/default_templates.h"
#include "webhooks/webhook_events.h"

namespace cartera::delivery {
namespace {

constexpr std::string_view kStrategy = "manual";
constexpr std::string_view kStage = "dispute_rejected";

bool IsBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

nlohmann::json OrNull(const std::optional<int64_t>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

struct DisputeRow {
  std::string status, currency, invoice_external_id, reason_code;
  int64_t customer_id = 0, invoice_id = 0, open_minor = 0;
};

Result<DisputeRow> ReadDispute(Database& database, int64_t tenant_id, int64_t dispute_id, Language language) {
  auto query = database.Prepare(
      "SELECT d.status, i.currency, i.external_id, d.reason_code, d.customer_id, d.invoice_id, i.open_minor FROM "
      "disputes d JOIN invoices i ON i.tenant_id = d.tenant_id AND i.id = d.invoice_id WHERE d.tenant_id = ? AND "
      "d.id = ?");
  if (!query) return Fail(query.error());
  (*query)->BindInt64(1, tenant_id);
  (*query)->BindInt64(2, dispute_id);
  auto row = (*query)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(TrFormat(language, "no hay disputa con id {}", "no dispute with id {}", dispute_id)));
  }
  const Statement& r = **query;
  DisputeRow dispute{std::string(r.GetText(0)), std::string(r.GetText(1)), std::string(r.GetText(2)),
                     std::string(r.GetText(3)), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)};
  query->reset();
  return dispute;
}

// The channels to tell the debtor by, best first (see the header).
Result<std::vector<std::string>> NoticeChannels(Database& database, int64_t tenant_id, int64_t customer_id) {
  std::vector<std::string> channels;
  const auto add = [&](std::string_view channel) {
    if (channel != "email" && channel != "sms" && channel != "whatsapp") return;
    if (std::find(channels.begin(), channels.end(), channel) == channels.end()) channels.emplace_back(channel);
  };
  auto last = database.Prepare(
      "SELECT channel FROM outbox WHERE tenant_id = ? AND customer_id = ? AND action = 'message' AND strategy <> "
      "'manual' AND channel IS NOT NULL ORDER BY id DESC LIMIT 1");
  if (!last) return Fail(last.error());
  (*last)->BindInt64(1, tenant_id);
  (*last)->BindInt64(2, customer_id);
  auto row = (*last)->Step();
  if (!row) return Fail(row.error());
  if (*row) add((*last)->GetText(0));
  last->reset();
  auto strategy = LoadActiveStrategy(database, tenant_id);
  if (!strategy) return Fail(strategy.error());
  std::vector<const Stage*> stages;
  for (const Stage& stage : strategy->second.stages) stages.push_back(&stage);
  if (strategy->second.broken_promise) stages.push_back(&*strategy->second.broken_promise);
  for (const Stage* stage : stages) {
    for (const Action& action : stage->actions) {
      if (action.type != ActionType::kMessage) continue;
      if (action.channel != Channel::kBest) add(ChannelName(action.channel));
      for (Channel fallback : action.fallback) add(ChannelName(fallback));
    }
  }
  for (std::string_view channel : {"email", "sms", "whatsapp"}) add(channel);
  return channels;
}

struct Notice {
  std::optional<int64_t> id;
  std::string channel, refusal;
};

// REQUIRES: inside the caller's transaction, the dispute already resolved
// (so its invoice is no longer held out of messages).
Result<Notice> QueueRejectionNotice(Database& database, int64_t tenant_id, int64_t dispute_id, const DisputeRow& dispute,
                                    const std::string& resolution, Timestamp now, const AuditContext& audit) {
  const Language language = audit.language;
  Notice notice;
  auto recipient = LoadRecipient(database, tenant_id, dispute.customer_id);
  if (!recipient) return Fail(recipient.error());
  auto context = BuildMessageContext(database, tenant_id, dispute.customer_id, {dispute.invoice_id}, std::nullopt, now);
  if (!context) return Fail(context.error());
  if (context->invoices.empty()) {
    notice.refusal = TrFormat(language, "la factura '{}' ya no debe nada: no hay nada que avisar",
                              "invoice '{}' owes nothing any more: there is nothing to tell", dispute.invoice_external_id);
    return notice;
  }
  auto channels = NoticeChannels(database, tenant_id, dispute.customer_id);
  if (!channels) return Fail(channels.error());
  std::vector<std::string> refusals;
  for (const std::string& channel : *channels) {
    if (recipient->AddressFor(channel).empty()) continue;
    DueItem item;
    item.channel = channel;
    item.customer_id = dispute.customer_id;
    item.stage = std::string(kStage);
    item.template_name = std::string(templates::StageKey(templates::Stage::kDisputeRejected));
    item.tone = std::string(templates::kDefaultTone);
    item.payload = {{"currency", std::string(context->currency.code())},
                    {"invoice_ids", {dispute.invoice_id}},
                    {"dispute_id", dispute_id},
                    {"dispute_reason", resolution},
                    {"requested_by", audit.actor}};
    item.key = fmt::format("{}:{}", kStage, dispute_id);
    auto check = CheckBeforeSend(database, tenant_id, item, *recipient, now);
    if (!check) return Fail(check.error());
    if (check->verdict == Verdict::kBlock || check->verdict == Verdict::kExpire) {
      refusals.push_back(fmt::format("{}: {}", channel, check->reason));
      continue;
    }
    // A rule that only says "later" (quiet hours, a cap) does not refuse:
    // the worker sends when the law allows.
    auto insert = database.Prepare(
        "INSERT INTO outbox (tenant_id, idempotency_key, customer_id, strategy, stage, action, channel, template, tone, "
        "business_date, scheduled_at, status, payload, created_at) VALUES (?, ?, ?, ?, ?, 'message', ?, ?, ?, ?, ?, "
        "'queued', ?, ?)");
    if (!insert) return Fail(insert.error());
    (*insert)->BindInt64(1, tenant_id);
    (*insert)->BindText(2, item.key);
    (*insert)->BindInt64(3, dispute.customer_id);
    (*insert)->BindText(4, kStrategy);
    (*insert)->BindText(5, kStage);
    (*insert)->BindText(6, channel);
    (*insert)->BindText(7, item.template_name);
    (*insert)->BindText(8, item.tone);
    (*insert)->BindText(9, context->as_of.ToIso());
    (*insert)->BindText(10, FormatUtc(now));
    (*insert)->BindText(11, item.payload.dump());
    (*insert)->BindText(12, audit.at);
    if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
    insert->reset();
    auto id = database.Prepare("SELECT id FROM outbox WHERE tenant_id = ? AND idempotency_key = ?");
    if (!id) return Fail(id.error());
    (*id)->BindInt64(1, tenant_id);
    (*id)->BindText(2, item.key);
    auto row = (*id)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return Fail(Error::Internal("the outbox item just written is not there"));
    notice.id = (*id)->GetInt64(0);
    notice.channel = channel;
    id->reset();
    const nlohmann::json after = {{"customer_id", dispute.customer_id}, {"channel", channel},
                                  {"stage", kStage},                    {"template", item.template_name},
                                  {"status", "queued"},                 {"dispute_id", dispute_id}};
    if (auto ok = WriteAudit(database, tenant_id, audit, "message", *notice.id, "create", "", after.dump()); !ok) {
      return Fail(ok.error());
    }
    return notice;
  }
  notice.refusal =
      refusals.empty()
          ? TrFormat(language,
                     "el cliente no tiene un correo, teléfono o WhatsApp utilizable con consentimiento: avísele por "
                     "otro medio",
                     "the customer has no usable e-mail, phone or WhatsApp with consent: tell them another way")
          : TrFormat(language, "las reglas de contacto del deudor no permiten avisarle ahora ({})",
                     "the debtor's contact rules do not allow telling them now ({})", fmt::join(refusals, "; "));
  return notice;
}

}  // namespace

Result<DisputeResolved> ResolveDisputeWithOutcome(Database& database, int64_t tenant_id, int64_t dispute_id,
                                                  const DisputeDecision& decision, Timestamp now,
                                                  const AuditContext& audit) {
  const Language language = audit.language;
  const bool accepted = decision.outcome == "accepted";
  if (!accepted && decision.outcome != "rejected") {
    return Fail(Error::BadInput(TrFormat(language, "outcome: '{}': use accepted o rejected",
                                         "outcome: '{}': use accepted or rejected", decision.outcome)));
  }
  if (!accepted && decision.credit_amount) {
    return Fail(Error::BadInput(std::string(Tr(language, "credit_amount: solo cuando se acepta la disputa (accepted)",
                                               "credit_amount: only when the dispute is accepted"))));
  }
  if (!accepted && IsBlank(decision.resolution)) {
    return Fail(Error::BadInput(std::string(
        Tr(language, "resolution: diga por qué se rechaza la disputa (el deudor lo leerá)",
           "resolution: say why the dispute is rejected (the debtor will read it)"))));
  }
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  if (auto ok = LockTenantLedger(database, tenant_id); !ok) return Fail(ok.error());
  auto dispute = ReadDispute(database, tenant_id, dispute_id, language);
  if (!dispute) return Fail(dispute.error());
  if (dispute->status != "open") {
    return Fail(Error::BadInput(TrFormat(language, "la disputa {} ya está resuelta", "dispute {} is already resolved",
                                         dispute_id)));
  }
  auto today = TenantToday(database, tenant_id, now);
  if (!today) return Fail(today.error());
  DisputeResolved resolved;
  resolved.dispute_id = dispute_id;
  std::optional<int64_t> credit_minor;
  if (accepted) {
    auto currency = Currency::FromCode(dispute->currency);
    if (!currency) return Fail(Error::Internal(fmt::format("stored currency '{}' is unknown", dispute->currency)));
    if (dispute->open_minor <= 0) {
      return Fail(Error::BadInput(TrFormat(
          language, "credit_amount: la factura '{}' ya no debe nada: no hay qué acreditar (rechace o resuelva sin nota)",
          "credit_amount: invoice '{}' owes nothing any more: there is nothing to credit", dispute->invoice_external_id)));
    }
    Money amount(dispute->open_minor, *currency);
    if (decision.credit_amount) {
      auto parsed = Money::Parse(*decision.credit_amount, *currency);
      if (!parsed) {
        return Fail(Error::BadInput(TrFormat(language, "credit_amount: {}", "credit_amount: {}", parsed.error().message)));
      }
      amount = *parsed;
    }
    if (amount.minor_units() <= 0) {
      return Fail(Error::BadInput(std::string(
          Tr(language, "credit_amount: debe ser mayor que cero", "credit_amount: must be greater than zero"))));
    }
    if (amount.minor_units() > dispute->open_minor) {
      return Fail(Error::BadInput(TrFormat(language, "credit_amount: {} {} es más de lo que la factura '{}' debe ({})",
                                           "credit_amount: {} {} is more than invoice '{}' owes ({})",
                                           amount.ToDecimalString(), dispute->currency, dispute->invoice_external_id,
                                           Money(dispute->open_minor, *currency).ToDecimalString())));
    }
    CreditNotePost post;
    post.customer_id = dispute->customer_id;
    post.invoice_id = dispute->invoice_id;
    post.date = *today;
    post.amount = amount;
    post.kind = "dispute";
    const std::string label(DisputeReasonLabel(dispute->reason_code, language));
    post.reason = decision.resolution.empty()
                      ? TrFormat(language, "Disputa {} aceptada: {}", "Dispute {} accepted: {}", dispute_id, label)
                      : TrFormat(language, "Disputa {} aceptada: {} ({})", "Dispute {} accepted: {} ({})", dispute_id,
                                 label, decision.resolution);
    post.source = fmt::format("dispute:{}", dispute_id);
    auto note = PostCreditNoteIn(database, tenant_id, post, audit);
    if (!note) return Fail(note.error());
    resolved.credit_note_id = *note;
    credit_minor = amount.minor_units();
  }
  auto update = database.Prepare(
      "UPDATE disputes SET status = 'resolved', resolved_at = ?, resolution = ?, outcome = ?, credit_minor = ?, "
      "credit_note_id = ?, resolved_by = ? WHERE tenant_id = ? AND id = ? AND status = 'open'");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, audit.at);
  (*update)->BindText(2, decision.resolution);
  (*update)->BindText(3, decision.outcome);
  if (credit_minor) {
    (*update)->BindInt64(4, *credit_minor);
  } else {
    (*update)->BindNull(4);
  }
  if (resolved.credit_note_id) {
    (*update)->BindInt64(5, *resolved.credit_note_id);
  } else {
    (*update)->BindNull(5);
  }
  (*update)->BindText(6, audit.actor);
  (*update)->BindInt64(7, tenant_id);
  (*update)->BindInt64(8, dispute_id);
  if (auto ok = (*update)->Run(); !ok) return Fail(ok.error());
  update->reset();
  if (!accepted) {
    auto notice = QueueRejectionNotice(database, tenant_id, dispute_id, *dispute, decision.resolution, now, audit);
    if (!notice) return Fail(notice.error());
    resolved.notice_id = notice->id;
    resolved.notice_channel = notice->channel;
    resolved.notice_refusal = notice->refusal;
    if (notice->id) {
      if (auto ok = database.Execute(fmt::format("UPDATE disputes SET notice_id = {} WHERE tenant_id = {} AND id = {}",
                                                 *notice->id, tenant_id, dispute_id));
          !ok) {
        return Fail(ok.error());
      }
    }
  }
  nlohmann::json after = {{"status", "resolved"},
                          {"outcome", decision.outcome},
                          {"resolution", decision.resolution},
                          {"credit_minor", OrNull(credit_minor)},
                          {"currency", dispute->currency},
                          {"credit_note_id", OrNull(resolved.credit_note_id)},
                          {"notice_id", OrNull(resolved.notice_id)}};
  if (!resolved.notice_refusal.empty()) after["notice_refusal"] = resolved.notice_refusal;
  if (auto ok = WriteAudit(database, tenant_id, audit, "dispute", dispute_id, "update",
                           nlohmann::json{{"status", "open"}}.dump(), after.dump());
      !ok) {
    return Fail(ok.error());
  }
  auto emitted = webhooks::EmitEvent(
      database, tenant_id, "dispute.resolved",
      {{"dispute",
        {{"id", dispute_id},
         {"invoice_external_id", dispute->invoice_external_id},
         {"reason_code", dispute->reason_code},
         {"status", "resolved"},
         {"outcome", decision.outcome},
         {"resolution", decision.resolution},
         {"credit", credit_minor ? MoneyJson(*credit_minor, dispute->currency) : nlohmann::json(nullptr)},
         {"credit_note_id", OrNull(resolved.credit_note_id)},
         {"notice_id", OrNull(resolved.notice_id)}}}},
      now);
  if (!emitted) return Fail(emitted.error());
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return resolved;
}

}  // namespace cartera::delivery
