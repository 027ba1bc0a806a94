#include "delivery/delivery_service.h"

#include <fmt/format.h>

#include "core/time_zone.h"
#include "delivery/channel_settings.h"
#include "delivery/send_transitions.h"

namespace cartera::delivery {

Result<std::unique_ptr<TenantDelivery>> TenantDelivery::Open(Database& database, const std::string& database_url,
                                                             int64_t tenant_id, const SecretKey& key,
                                                             const TenantDeliveryOptions& options, IfLockHeld if_held,
                                                             Timestamp now, TenantPacers* pacers) {
  std::unique_ptr<TenantDelivery> delivery(new TenantDelivery(database, tenant_id));
  delivery->key_ = key;
  auto smtp = LoadSmtpSettings(database, tenant_id, &delivery->key_);
  if (!smtp) return Fail(smtp.error());
  auto twilio = LoadTwilioSettings(database, tenant_id, &delivery->key_);
  if (!twilio) return Fail(twilio.error());
  auto whatsapp = LoadWhatsappCloudSettings(database, tenant_id, &delivery->key_);
  if (!whatsapp) return Fail(whatsapp.error());
  if (!*smtp && !*twilio && !*whatsapp && options.letters_dir.empty()) {
    // In English whatever the language, as `cartera deliver` has always said
    // it (scripts look for it).
    return Fail(Error::BadInput("no channel is configured: run `cartera channel set-email ...`, "
                                "`cartera channel set-twilio ...` or `cartera channel set-whatsapp ...`"));
  }
  if (if_held == IfLockHeld::kFail) {
    auto lock = WorkerLock::Acquire(database, database_url, tenant_id, options.audit.language);
    if (!lock) return Fail(lock.error());
    delivery->lock_ = std::move(*lock);
  } else {
    auto lock = WorkerLock::TryAcquire(database, database_url, tenant_id);
    if (!lock) return Fail(lock.error());
    if (*lock == nullptr) return std::unique_ptr<TenantDelivery>();
    delivery->lock_ = std::move(*lock);
  }
  DeliveryOptions& worker = delivery->options_;
  worker.tenant_id = tenant_id;
  worker.limit = options.limit;
  worker.max_attempts = options.max_attempts;
  worker.letters_dir = options.letters_dir;
  worker.audit = options.audit;
  // Under the lock: nobody else is sending, so what is `sending` was cut off.
  auto interrupted = MarkInterruptedUnknown(database, worker, now);
  if (!interrupted) return Fail(interrupted.error());
  delivery->interrupted_ = *interrupted;
  auto portal = LoadPortalBaseUrl(database, tenant_id);
  if (!portal) return Fail(portal.error());
  worker.portal_base_url = *portal;
  worker.link_key = &delivery->key_;
  TenantPacers& paced = pacers != nullptr ? *pacers : delivery->own_pacers_;
  Senders& senders = delivery->senders_;
  delivery->smtp_ = std::move(*smtp);
  delivery->twilio_ = std::move(*twilio);
  delivery->whatsapp_ = std::move(*whatsapp);
  if (delivery->smtp_) {
    senders.smtp_settings = &*delivery->smtp_;
    senders.email_pacer = paced.Email(delivery->smtp_->max_per_minute);
  }
  if (delivery->twilio_) {
    senders.twilio_settings = &*delivery->twilio_;
    senders.sms_pacer = paced.Sms(delivery->twilio_->max_per_minute);
  }
  // WhatsApp goes through Meta's Cloud API when it is configured, else Twilio.
  if (delivery->whatsapp_) {
    senders.whatsapp_cloud_settings = &*delivery->whatsapp_;
    senders.whatsapp_pacer = paced.Whatsapp(delivery->whatsapp_->max_per_minute);
  } else if (delivery->twilio_) {
    senders.whatsapp_pacer = paced.Whatsapp(delivery->twilio_->max_per_minute);
  }
  senders.OpenLanes(options.connections);
  return delivery;
}

Result<DeliveryStats> TenantDelivery::Pass(const Clock& clock, const std::atomic<bool>* stop) {
  options_.stop = stop;
  return DeliverDue(database_, senders_, options_, clock);
}

namespace {

// The first column of every row: tenant ids.
Result<std::vector<int64_t>> ReadIds(Database& database, std::string_view sql) {
  auto select = database.Prepare(sql);
  if (!select) return Fail(select.error());
  std::vector<int64_t> ids;
  while (true) {
    auto row = (*select)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    ids.push_back((*select)->GetInt64(0));
  }
  return ids;
}

void Add(DeliveryStats& total, const DeliveryStats& pass) {
  total.sent += pass.sent;
  total.retrying += pass.retrying;
  total.failed += pass.failed;
  total.deferred += pass.deferred;
  total.blocked += pass.blocked;
  total.unknown += pass.unknown;
  total.expired += pass.expired;
  total.email_paused = total.email_paused || pass.email_paused;
}

}  // namespace

Result<std::vector<int64_t>> TenantsWithChannels(Database& database) {
  return ReadIds(database,
                 "SELECT DISTINCT tenant_id FROM channel_settings WHERE channel IN ('email', 'twilio', "
                 "'whatsapp_cloud') ORDER BY tenant_id");
}

Result<AllTenantsStats> AllTenantsDelivery::Pass(Database& database, const Clock& clock,
                                                 const std::atomic<bool>& stop) {
  auto tenants = options_.letters_dir.empty() ? TenantsWithChannels(database)
                                               : ReadIds(database, "SELECT id FROM tenants ORDER BY id");
  if (!tenants) return Fail(tenants.error());
  AllTenantsStats stats;
  for (int64_t tenant_id : *tenants) {
    if (stop.load()) break;
    // The lock is let go when `delivery` goes out of scope, after its pass.
    auto delivery = TenantDelivery::Open(database, database_url_, tenant_id, key_, options_,
                                         TenantDelivery::IfLockHeld::kSkip, clock.Now(), &pacers_[tenant_id]);
    if (!delivery) {
      stats.failures.push_back({tenant_id, delivery.error()});
      continue;
    }
    if (*delivery == nullptr) {
      ++stats.tenants_held_elsewhere;
      continue;
    }
    stats.interrupted += (*delivery)->interrupted();
    auto pass = (*delivery)->Pass(clock, &stop);
    if (!pass) {
      stats.failures.push_back({tenant_id, pass.error()});
      continue;
    }
    ++stats.tenants_delivered;
    Add(stats.total, *pass);
  }
  return stats;
}

Status ResolveUnknownItem(Database& database, int64_t tenant_id, int64_t item_id, Resolution resolution,
                          const AuditContext& audit) {
  auto transaction = Transaction::Begin(database);
  if (!transaction) return Fail(transaction.error());
  auto current = database.Prepare("SELECT status FROM outbox WHERE tenant_id = ? AND id = ?");
  if (!current) return Fail(current.error());
  (*current)->BindInt64(1, tenant_id);
  (*current)->BindInt64(2, item_id);
  auto row = (*current)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound(
        TrFormat(audit.language, "no hay ningún elemento del outbox con id {}", "no outbox item with id {}", item_id)));
  }
  const std::string status((*current)->GetText(0));
  current->reset();
  const bool sent = resolution == Resolution::kSent;
  // The status is named in the WHERE too: a worker or another person that
  // changed the item since it was read makes this change nothing.
  auto update = database.Prepare(
      sent ? "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE tenant_id = ? AND id = ? AND "
             "status = 'unknown'"
           : "UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = NULL WHERE tenant_id = ? AND "
             "id = ? AND status = 'unknown'");
  if (!update) return Fail(update.error());
  (*update)->BindText(1, audit.at);
  (*update)->BindInt64(2, tenant_id);
  (*update)->BindInt64(3, item_id);
  if (auto ok = (*update)->Run(); !ok) return ok;
  if (status != "unknown" || (*update)->ChangedRows() != 1) {
    return Fail(Error::Conflict(TrFormat(audit.language,
                                         "el elemento {} del outbox no está en estado 'unknown' (está '{}')",
                                         "outbox item {} is not in status 'unknown' (it is '{}')", item_id, status)));
  }
  const std::string after = sent ? R"({"status":"sent","resolved":"by hand"})"
                                 : R"({"status":"queued","resolved":"resend"})";
  if (auto ok = WriteAudit(database, tenant_id, audit, "message", item_id, "update", R"({"status":"unknown"})", after);
      !ok) {
    return ok;
  }
  return transaction->Commit();
}

}  // namespace cartera::delivery
