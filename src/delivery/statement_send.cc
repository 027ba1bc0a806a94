#include "delivery/statement_send.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/language.h"
#include "core/time_zone.h"
#include "delivery/due_items.h"
#include "delivery/message_context.h"
#include "delivery/send_check.h"
#include "report/customer_list.h"
#include "templates/default_templates.h"

namespace cartera::delivery {
namespace {

constexpr std::string_view kStrategy = "manual";
constexpr std::string_view kStage = "statement_now";

// The gentlest script that speaks of what the account holds on its date.
templates::Stage StageFor(const std::vector<templates::InvoiceLine>& invoices) {
  if (std::any_of(invoices.begin(), invoices.end(), templates::IsOverdue)) return templates::Stage::kOverdue1;
  if (std::any_of(invoices.begin(), invoices.end(),
                  [](const templates::InvoiceLine& line) { return line.days_late == 0; })) {
    return templates::Stage::kDueToday;
  }
  return templates::Stage::kBeforeDue;
}

}  // namespace

Result<int64_t> QueueStatementEmail(Database& database, int64_t tenant_id, std::string_view customer_external_id,
                                    Timestamp now, const AuditContext& audit) {
  const Language language = audit.language;
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto found = CustomerIdByExternalId(database, tenant_id, customer_external_id, language);
  if (!found) return Fail(found.error());
  const int64_t customer_id = *found;

  // Consent first: the worker would block it anyway, a person should know now.
  auto recipient = LoadRecipient(database, tenant_id, customer_id);
  if (!recipient) return Fail(recipient.error());
  if (recipient->reach.email.empty()) {
    return Fail(Error::BadInput(TrFormat(
        language,
        "el cliente '{}' no tiene un correo utilizable con consentimiento (ninguno registrado, revocado, rebotado o "
        "pidió no más mensajes): no se puede enviar el estado de cuenta por correo",
        "customer '{}' has no usable e-mail address with consent (none on file, revoked, bounced or opted out): the "
        "statement cannot be sent by e-mail",
        customer_external_id)));
  }
  auto context = BuildMessageContext(database, tenant_id, customer_id, {}, std::nullopt, now);
  if (!context) return Fail(context.error());
  if (context->invoices.empty()) {
    return Fail(Error::BadInput(TrFormat(
        language,
        "el cliente '{}' no tiene facturas abiertas sin disputa: no hay estado de "
        "cuenta que enviar",
        "customer '{}' has no open, undisputed invoices: there is no statement to send", customer_external_id)));
  }
  const templates::Stage stage = StageFor(context->invoices);

  DueItem item;
  item.channel = "email";
  item.customer_id = customer_id;
  item.stage = std::string(kStage);
  item.template_name = std::string(templates::StageKey(stage));
  item.tone = std::string(templates::kDefaultTone);
  item.payload = {
      {"currency", std::string(context->currency.code())}, {"attach_statement", true}, {"requested_by", audit.actor}};
  auto check = CheckBeforeSend(database, tenant_id, item, *recipient, now);
  if (!check) return Fail(check.error());
  if (check->verdict == Verdict::kBlock || check->verdict == Verdict::kExpire) {
    return Fail(Error::BadInput(TrFormat(language, "las reglas de contacto del deudor no permiten el correo: {}",
                                         "the debtor's contact rules do not allow e-mail: {}", check->reason)));
  }

  auto count = database.QueryInt64(
      fmt::format("SELECT COUNT(*) FROM outbox WHERE tenant_id = {} AND customer_id = {} AND strategy = '{}'",
                  tenant_id, customer_id, kStrategy));
  if (!count) return Fail(count.error());
  const std::string key = fmt::format("{}:{}:{}", kStage, customer_id, count->value_or(0) + 1);
  auto insert = database.Prepare(
      "INSERT INTO outbox (tenant_id, idempotency_key, customer_id, strategy, stage, action, channel, template, tone, "
      "business_date, scheduled_at, status, payload, created_at) VALUES (?, ?, ?, ?, ?, 'message', 'email', ?, ?, ?, "
      "?, 'queued', ?, ?)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, tenant_id);
  (*insert)->BindText(2, key);
  (*insert)->BindInt64(3, customer_id);
  (*insert)->BindText(4, kStrategy);
  (*insert)->BindText(5, kStage);
  (*insert)->BindText(6, item.template_name);
  (*insert)->BindText(7, item.tone);
  (*insert)->BindText(8, context->as_of.ToIso());
  (*insert)->BindText(9, FormatUtc(now));
  (*insert)->BindText(10, item.payload.dump());
  (*insert)->BindText(11, audit.at);
  if (auto ok = (*insert)->Run(); !ok) return Fail(ok.error());
  insert->reset();
  auto id = database.Prepare("SELECT id FROM outbox WHERE tenant_id = ? AND idempotency_key = ?");
  if (!id) return Fail(id.error());
  (*id)->BindInt64(1, tenant_id);
  (*id)->BindText(2, key);
  auto row = (*id)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::Internal("the outbox item just written is not there"));
  const int64_t item_id = (*id)->GetInt64(0);
  id->reset();
  const nlohmann::json after = {{"customer_id", customer_id},     {"channel", "email"}, {"stage", kStage},
                                {"template", item.template_name}, {"status", "queued"}, {"attach_statement", true}};
  if (auto ok = WriteAudit(database, tenant_id, audit, "message", item_id, "create", "", after.dump()); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = transaction->Commit(); !ok) return Fail(ok.error());
  return item_id;
}

}  // namespace cartera::delivery
