#include "server/delivery_loop.h"

#include "core/time_zone.h"
#include "delivery/delivery_service.h"
#include "delivery/http_client.h"
#include "webhooks/webhook_sender.h"
#include "server/log.h"
#include "store/database.h"

namespace cartera::server {

DeliveryLoop::DeliveryLoop(std::string database_url, const Clock& clock, Metrics& metrics,
                           std::chrono::seconds interval)
    : database_url_(std::move(database_url)), clock_(clock), metrics_(metrics), interval_(interval) {}

DeliveryLoop::~DeliveryLoop() { Stop(); }

bool DeliveryLoop::Start() {
  thread_ = std::thread([this] { Loop(); });
  return true;
}

void DeliveryLoop::Stop() {
  stop_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryLoop::Loop() {
  auto key = delivery::LoadSecretKey();
  if (!key) {
    LogLine({{"level", "warn"},
             {"msg", "delivery is off: no secret key to open the channels' passwords with"},
             {"hint", "set CARTERA_SECRET_KEY (cartera secret-key) and restart"}});
    return;
  }
  delivery::TenantDeliveryOptions options;
  options.audit = AuditContext{"system:delivery", "", "cartera serve", Language::kEnglish};
  delivery::AllTenantsDelivery worker(database_url_, *key, options);
  delivery::HttpClient webhook_http;  // one connection cache across passes
  std::unique_ptr<Database> database;
  while (!stop_) {
    if (!database) {
      auto opened = Database::Open(database_url_);
      if (!opened) {
        LogLine({{"level", "error"}, {"msg", "delivery cannot open the database"}, {"error", opened.error().message}});
      } else {
        database = std::move(*opened);
      }
    }
    if (database) {
      auto stats = worker.Pass(*database, clock_, stop_);
      if (!stats) {
        LogLine({{"level", "error"}, {"msg", "delivery pass failed"}, {"error", stats.error().message}});
        database.reset();
      } else {
        const delivery::DeliveryStats& total = stats->total;
        metrics_.RecordDelivery("sent", total.sent);
        metrics_.RecordDelivery("failed", total.failed);
        metrics_.RecordDelivery("retrying", total.retrying);
        metrics_.RecordDelivery("blocked", total.blocked);
        metrics_.RecordDelivery("deferred", total.deferred);
        metrics_.RecordDelivery("unknown", total.unknown);
        metrics_.RecordDelivery("expired", total.expired);
        for (const auto& failure : stats->failures) {
          LogLine({{"level", "error"}, {"msg", "tenant delivery failed"}, {"tenant", failure.tenant_id},
                   {"error", failure.error.message}});
        }
        if (total.sent + total.failed + total.blocked + total.unknown + total.expired > 0 || stats->interrupted > 0) {
          LogLine({{"level", "info"}, {"msg", "delivery pass"}, {"sent", total.sent}, {"failed", total.failed},
                   {"retrying", total.retrying}, {"blocked", total.blocked}, {"deferred", total.deferred},
                   {"unknown", total.unknown}, {"expired", total.expired}, {"interrupted", stats->interrupted},
                   {"tenants", stats->tenants_delivered}, {"held_elsewhere", stats->tenants_held_elsewhere}});
        }
      }
    }
    // Outbound webhooks go through the same loop (their own exactly-once claims).
    if (database && !stop_) {
      auto sent = webhooks::DeliverWebhooks(*database, *key, clock_, webhook_http, stop_);
      if (!sent) {
        LogLine({{"level", "error"}, {"msg", "webhook pass failed"}, {"error", sent.error().message}});
      } else {
        metrics_.RecordDelivery("webhook_delivered", sent->delivered);
        metrics_.RecordDelivery("webhook_retrying", sent->retrying);
        metrics_.RecordDelivery("webhook_failed", sent->failed);
      }
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, interval_, [this] { return stop_.load(); });
  }
}

}  // namespace cartera::server
