// Outbound webhooks against a local HTTP receiver, on SQLite and PostgreSQL:
// the signature a receiver checks, retries after a failure, one delivery
// per claim however many senders run, and the checks at registration.
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "collection/records.h"
#include "collection/run.h"
#include "core/time_zone.h"
#include "delivery/test_listener.h"
#include "test_database.h"
#include "webhooks/webhook_endpoints.h"
#include "webhooks/webhook_events.h"
#include "webhooks/webhook_sender.h"

namespace cartera::webhooks {
namespace {

using cartera::testing::Backend;
using cartera::testing::TestDatabase;

// One request per connection; answers with the next scripted status (200
// once the script is done) and keeps what it received.
class Receiver {
 public:
  struct Request {
    std::string signature, event_id, body;
  };

  explicit Receiver(std::deque<int> statuses = {}) : statuses_(std::move(statuses)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~Receiver() {
    listener_.Stop();
    thread_.join();
  }
  std::string url() const { return fmt::format("http://127.0.0.1:{}/hooks", listener_.port()); }
  std::vector<Request> requests() {
    std::lock_guard<std::mutex> guard(mutex_);
    return requests_;
  }

 private:
  static std::string Header(const std::string& head, const std::string& name) {
    const std::string key = "\r\n" + name + ": ";
    const size_t at = head.find(key);
    if (at == std::string::npos) return "";
    const size_t start = at + key.size();
    return head.substr(start, head.find("\r\n", start) - start);
  }

  void Serve() {
    while (true) {
      const int connection = listener_.Accept();
      if (connection < 0) return;
      std::string data;
      char chunk[4096];
      size_t wanted = std::string::npos, head_end = std::string::npos;
      while (wanted == std::string::npos || data.size() < wanted) {
        const ssize_t got = ::read(connection, chunk, sizeof(chunk));
        if (got <= 0) break;
        data.append(chunk, static_cast<size_t>(got));
        if (wanted == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
          const std::string length = Header(data.substr(0, head_end + 2), "Content-Length");
          wanted = head_end + 4 + (length.empty() ? 0 : std::stoul(length));
        }
      }
      int status = 200;
      {
        std::lock_guard<std::mutex> guard(mutex_);
        if (head_end != std::string::npos) {
          const std::string head = data.substr(0, head_end + 2);
          requests_.push_back({Header(head, "Cartera-Signature"), Header(head, "Cartera-Event-Id"),
                               data.substr(head_end + 4)});
        }
        if (!statuses_.empty()) {
          status = statuses_.front();
          statuses_.pop_front();
        }
      }
      const std::string body = status < 300 ? "ok" : "busy";
      const std::string response = fmt::format(
          "HTTP/1.1 {} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}", status,
          body.size(), body);
      (void)!::write(connection, response.data(), response.size());
      ::close(connection);
    }
  }

  std::mutex mutex_;
  std::deque<int> statuses_;
  std::vector<Request> requests_;
  delivery::TestListener listener_;
  std::thread thread_;
};

delivery::SecretKey TestKey() {
  delivery::SecretKey key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(i * 7 + 1);
  return key;
}

TEST(WebhookSignature, VerifiesWithTheSecretOnly) {
  const Timestamp at = *ParseUtc("2026-11-20T15:00:00Z");
  const std::string payload = R"({"id":"evt_1","type":"run.completed"})";
  const std::string header = SignatureHeader("whsec_abc", at, payload);
  EXPECT_TRUE(header.starts_with(fmt::format("t={},v1=", at.time_since_epoch().count()))) << header;
  EXPECT_TRUE(VerifySignature("whsec_abc", header, payload, at + std::chrono::seconds(30)));
  EXPECT_FALSE(VerifySignature("whsec_other", header, payload, at)) << "another secret";
  EXPECT_FALSE(VerifySignature("whsec_abc", header, payload + " ", at)) << "another body";
  EXPECT_FALSE(VerifySignature("whsec_abc", header, payload, at + std::chrono::minutes(10))) << "too old: a replay";
  EXPECT_FALSE(VerifySignature("whsec_abc", "v1=00", payload, at)) << "no timestamp";
}

TEST(WebhookSignature, RetryDelaysGrowThenStayAtADay) {
  EXPECT_EQ(WebhookRetryDelay(1), std::chrono::minutes(1));
  EXPECT_EQ(WebhookRetryDelay(2), std::chrono::minutes(5));
  EXPECT_EQ(WebhookRetryDelay(3), std::chrono::minutes(30));
  EXPECT_EQ(WebhookRetryDelay(4), std::chrono::hours(2));
  EXPECT_EQ(WebhookRetryDelay(5), std::chrono::hours(12));
  EXPECT_EQ(WebhookRetryDelay(7), std::chrono::hours(24));
}

TEST(WebhookUrl, HttpsOrThisMachineOnly) {
  const Language en = Language::kEnglish;
  EXPECT_TRUE(CheckEndpointUrl("https://erp.example.co/hooks/cartera", en));
  EXPECT_TRUE(CheckEndpointUrl("HTTPS://erp.example.co:8443", en));
  EXPECT_TRUE(CheckEndpointUrl("http://127.0.0.1:9000/hook", en));
  EXPECT_TRUE(CheckEndpointUrl("http://localhost/hook", en));
  EXPECT_TRUE(CheckEndpointUrl("http://[::1]:9000/", en));
  for (const char* refused : {"http://erp.example.co/hook", "http://10.0.0.5/hook", "http://localhost.evil.co/",
                              "http://localhost@evil.co/", "https://user:pw@erp.example.co/", "ftp://example.co/",
                              "https:///nohost", "https://erp.example.co/a b", "", "erp.example.co"}) {
    auto checked = CheckEndpointUrl(refused, en);
    ASSERT_FALSE(checked) << refused;
    EXPECT_EQ(checked.error().code, ErrorCode::kBadInput) << refused;
  }
}

class WebhookStorage : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string reason;
    db_ = TestDatabase::Create(GetParam(), reason);
    if (!db_) GTEST_SKIP() << reason;
  }

  AuditContext Audit() const { return {"test", FormatUtc(clock_.Now()), "webhooks_test", Language::kEnglish}; }

  RegisteredEndpoint Register(const std::string& url, std::vector<std::string> events = {"promise.created"}) {
    auto registered = RegisterEndpoint(db_->database(), 1, url, events, "ERP", key_, Audit());
    EXPECT_TRUE(registered) << (registered ? "" : registered.error().message);
    return registered ? *registered : RegisteredEndpoint{};
  }

  std::string Emit(std::string_view type, const nlohmann::json& data = {{"promise_id", 7}}) {
    auto transaction = Transaction::Begin(db_->database());
    EXPECT_TRUE(transaction);
    auto id = EmitEvent(db_->database(), 1, type, data, clock_.Now());
    EXPECT_TRUE(id) << (id ? "" : id.error().message);
    EXPECT_TRUE(transaction->Commit());
    return id ? *id : "";
  }

  WebhookSendStats Deliver() {
    auto stats = DeliverWebhooks(db_->database(), key_, clock_, http_, stop_);
    EXPECT_TRUE(stats) << (stats ? "" : stats.error().message);
    return stats ? *stats : WebhookSendStats{};
  }

  std::unique_ptr<TestDatabase> db_;
  delivery::SecretKey key_ = TestKey();
  FixedClock clock_{*ParseUtc("2026-11-20T15:00:00Z")};
  delivery::HttpClient http_;
  std::atomic<bool> stop_{false};
};

TEST_P(WebhookStorage, TheReceiverVerifiesWhatArrivesWithTheSecretShownOnce) {
  Receiver receiver;
  const RegisteredEndpoint endpoint = Register(receiver.url(), {"promise.created", "run.completed"});
  EXPECT_TRUE(endpoint.secret.starts_with("whsec_")) << endpoint.secret;
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_endpoints WHERE secret_sealed LIKE '%whsec_%'"), 0)
      << "sealed at rest";
  const std::string event_id = Emit("promise.created");
  EXPECT_TRUE(event_id.starts_with("evt_")) << event_id;
  Emit("dispute.opened");  // not subscribed: nothing queued
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_deliveries"), 1);
  EXPECT_EQ(Deliver().delivered, 1);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].event_id, event_id);
  EXPECT_TRUE(VerifySignature(endpoint.secret, requests[0].signature, requests[0].body, clock_.Now()))
      << requests[0].signature;
  const auto body = nlohmann::json::parse(requests[0].body);
  EXPECT_EQ(body["id"], event_id);
  EXPECT_EQ(body["type"], "promise.created");
  EXPECT_EQ(body["data"]["promise_id"], 7);
  EXPECT_EQ(db_->Text("SELECT status FROM webhook_deliveries"), "delivered");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'webhook_delivery'"), 1);
}

TEST_P(WebhookStorage, AFailureIsRetriedLaterAndDeliveredOnce) {
  Receiver receiver({500});
  Register(receiver.url());
  Emit("promise.created");
  WebhookSendStats first = Deliver();
  EXPECT_EQ(first.retrying, 1);
  EXPECT_EQ(db_->Text("SELECT status FROM webhook_deliveries"), "queued");
  EXPECT_EQ(db_->Text("SELECT last_error FROM webhook_deliveries"), "HTTP 500: busy");
  EXPECT_EQ(db_->Text("SELECT next_attempt_at FROM webhook_deliveries"), "2026-11-20T15:01:00Z");
  EXPECT_EQ(Deliver().delivered, 0) << "not due before its retry time";
  clock_.Set(clock_.Now() + std::chrono::minutes(1));
  EXPECT_EQ(Deliver().delivered, 1);
  EXPECT_EQ(Deliver().delivered, 0);
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(receiver.requests()[0].event_id, receiver.requests()[1].event_id) << "a retry is the same event";
  EXPECT_EQ(db_->Text("SELECT status FROM webhook_deliveries"), "delivered");
  EXPECT_EQ(db_->Count("SELECT attempts FROM webhook_deliveries"), 2);
}

TEST_P(WebhookStorage, OutOfAttemptsItFailsAndAPersonReplaysIt) {
  Receiver receiver(std::deque<int>(kAttemptsMax, 503));
  Register(receiver.url());
  Emit("promise.created");
  for (int attempt = 1; attempt <= kAttemptsMax; ++attempt) {
    Deliver();
    clock_.Set(clock_.Now() + std::chrono::hours(25));
  }
  EXPECT_EQ(db_->Text("SELECT status FROM webhook_deliveries"), "failed");
  EXPECT_EQ(receiver.requests().size(), static_cast<size_t>(kAttemptsMax));
  const int64_t id = db_->Count("SELECT id FROM webhook_deliveries");
  auto failed = ListDeliveries(db_->database(), 1, {std::nullopt, "failed", 100}, Language::kEnglish);
  ASSERT_TRUE(failed);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ(WebhookDeliveryJson((*failed)[0])["status"], "failed");
  auto replayed = ReplayDelivery(db_->database(), 1, id, Audit());
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_EQ(replayed->status, "queued");
  EXPECT_EQ(replayed->attempts, 0);
  auto again = ReplayDelivery(db_->database(), 1, id, Audit());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict) << "queued already";
  auto other_tenant = ReplayDelivery(db_->database(), 2, id, Audit());
  ASSERT_FALSE(other_tenant);
  EXPECT_EQ(other_tenant.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Deliver().delivered, 1);
}

TEST_P(WebhookStorage, TwoSendersNeverPostOneDeliveryTwice) {
  Receiver receiver;
  Register(receiver.url());
  Register(receiver.url());  // two endpoints: one delivery each per event
  constexpr int kEvents = 30;
  for (int i = 0; i < kEvents; ++i) Emit("promise.created", {{"promise_id", i}});
  ASSERT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_deliveries"), 2 * kEvents);
  std::atomic<int64_t> delivered{0};
  auto sender = [&] {
    auto database = Database::Open(db_->url());
    ASSERT_TRUE(database) << database.error().message;
    delivery::HttpClient http;
    auto stats = DeliverWebhooks(**database, key_, clock_, http, stop_, {.limit = 1000});
    ASSERT_TRUE(stats) << stats.error().message;
    delivered += stats->delivered;
  };
  std::thread first(sender), second(sender);
  first.join();
  second.join();
  EXPECT_EQ(delivered.load(), 2 * kEvents);
  std::map<std::string, int> posts;  // event id + signature's endpoint: count by body and event
  for (const auto& request : receiver.requests()) ++posts[request.event_id + "|" + request.signature];
  EXPECT_EQ(receiver.requests().size(), static_cast<size_t>(2 * kEvents));
  EXPECT_EQ(posts.size(), static_cast<size_t>(2 * kEvents)) << "no delivery was posted twice";
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'"), 2 * kEvents);
}

TEST_P(WebhookStorage, UnknownEventsAndInsecureUrlsAreRefused) {
  auto transaction = Transaction::Begin(db_->database());
  ASSERT_TRUE(transaction);
  auto emitted = EmitEvent(db_->database(), 1, "invoice.eaten", {}, clock_.Now());
  ASSERT_FALSE(emitted);
  EXPECT_EQ(emitted.error().code, ErrorCode::kBadInput);
  ASSERT_TRUE(transaction->Commit());
  auto unknown = RegisterEndpoint(db_->database(), 1, "https://erp.example.co/h", {"invoice.eaten"}, "", key_, Audit());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kBadInput);
  EXPECT_NE(unknown.error().message.find("invoice.eaten"), std::string::npos) << unknown.error().message;
  auto none = RegisterEndpoint(db_->database(), 1, "https://erp.example.co/h", {}, "", key_, Audit());
  ASSERT_FALSE(none);
  auto plain = RegisterEndpoint(db_->database(), 1, "http://erp.example.co/h", {"run.completed"}, "", key_, Audit());
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, ErrorCode::kBadInput);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_endpoints"), 0);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'webhook_endpoint'"), 0);
}

TEST_P(WebhookStorage, ARemovedEndpointGetsNothingMore) {
  Receiver receiver;
  const RegisteredEndpoint endpoint = Register(receiver.url());
  Emit("promise.created");
  auto disabled = DisableEndpoint(db_->database(), 1, endpoint.endpoint.id, Audit());
  ASSERT_TRUE(disabled) << disabled.error().message;
  EXPECT_EQ(WebhookEndpointJson(*disabled)["status"], "disabled");
  EXPECT_EQ(db_->Text("SELECT status FROM webhook_deliveries"), "cancelled");
  Emit("promise.created");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_deliveries"), 1);
  EXPECT_EQ(Deliver().delivered, 0);
  EXPECT_TRUE(receiver.requests().empty());
  auto missing = DisableEndpoint(db_->database(), 2, endpoint.endpoint.id, Audit());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound) << "another tenant's endpoint";
  auto listed = ListEndpoints(db_->database(), 1);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(WebhookEndpointJson((*listed)[0])["events"], nlohmann::json::array({"promise.created"}));
}

TEST_P(WebhookStorage, AStopLeavesNothingSendingAndAStaleClaimIsTakenBack) {
  Receiver receiver;
  Register(receiver.url());
  Emit("promise.created");
  stop_ = true;
  EXPECT_EQ(Deliver().delivered, 0);
  EXPECT_EQ(db_->Text("SELECT status FROM webhook_deliveries"), "queued");
  stop_ = false;
  // A sender that died mid-post left its claim behind.
  ASSERT_TRUE(db_->database().Execute(
      "UPDATE webhook_deliveries SET status = 'sending', attempts = 1, attempted_at = '2026-11-20T14:00:00Z'"));
  WebhookSendStats stats = Deliver();
  EXPECT_EQ(stats.reclaimed, 1);
  EXPECT_EQ(stats.delivered, 1);
}

// The wiring: a promise made, a dispute opened and resolved, and a run
// finished queue their events with the change itself.
TEST_P(WebhookStorage, APromiseADisputeAndARunEmitTheirEvents) {
  Register("https://erp.example.co/hooks", {"promise.created", "run.completed", "dispute.opened", "dispute.resolved"});
  Database& database = db_->database();
  ASSERT_TRUE(database.Execute(
      "INSERT INTO customers (tenant_id, external_id, name, tax_id, country, kind, time_zone, language, address, "
      "created_at, updated_at) VALUES (1, 'C-1', 'Ana', '1', 'CO', 'person', 'America/Bogota', 'es', 'Calle 1', "
      "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"));
  const int64_t customer = db_->Count("SELECT id FROM customers WHERE external_id = 'C-1'");
  ASSERT_TRUE(database.Execute(fmt::format(
      "INSERT INTO invoices (tenant_id, external_id, customer_id, number, issue_date, due_date, currency, "
      "amount_minor, open_minor, created_at, updated_at) VALUES (1, 'FV-1', {}, 'FV-1', '2026-10-01', '2026-10-31', "
      "'COP', 50000000, 50000000, '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z')",
      customer)));
  auto promise = AddPromise(database, 1, "C-1", *Date::ParseIso("2026-11-30"), "100000.00", std::nullopt, "cli", "",
                            Audit());
  ASSERT_TRUE(promise) << promise.error().message;
  const auto created = nlohmann::json::parse(
      db_->Text("SELECT payload FROM webhook_deliveries WHERE event_type = 'promise.created'"));
  EXPECT_EQ(created["data"]["promise"]["id"], *promise);
  EXPECT_EQ(created["data"]["promise"]["amount"], nlohmann::json({{"amount", "100000.00"}, {"currency", "COP"}}));
  auto dispute = OpenDispute(database, 1, "FV-1", "mercancía defectuosa", Audit());
  ASSERT_TRUE(dispute) << dispute.error().message;
  ASSERT_TRUE(ResolveDispute(database, 1, *dispute, "nota crédito", Audit()));
  const auto resolved = nlohmann::json::parse(
      db_->Text("SELECT payload FROM webhook_deliveries WHERE event_type = 'dispute.resolved'"));
  EXPECT_EQ(resolved["data"]["dispute"]["id"], *dispute);
  EXPECT_EQ(resolved["data"]["dispute"]["resolution"], "nota crédito");
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = 'dispute.opened'"), 1);
  RunOptions run;
  run.tenant_id = 1;
  run.as_of = *Date::ParseIso("2026-11-20");
  run.now = clock_.Now();
  run.audit = Audit();
  auto report = RunCollection(database, run);
  ASSERT_TRUE(report) << report.error().message;
  const auto completed = nlohmann::json::parse(
      db_->Text("SELECT payload FROM webhook_deliveries WHERE event_type = 'run.completed'"));
  EXPECT_EQ(completed["data"]["run"]["business_date"], "2026-11-20");
  EXPECT_EQ(completed["data"]["run"]["customers"], report->customers);
  EXPECT_EQ(db_->Count("SELECT COUNT(*) FROM webhook_deliveries"), 4);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookStorage, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         cartera::testing::BackendName);

}  // namespace
}  // namespace cartera::webhooks
