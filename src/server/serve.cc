#include "server/serve.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <httplib.h>

#include "access/secrets.h"
#include "api/routes.h"
#include "delivery/worker_lock.h"
#include "server/delivery_loop.h"
#include "server/log.h"
#include "server/metrics.h"
#include "server/scheduler.h"
#include "server/static_site.h"
#include "store/migrations.h"

namespace cartera::server {
namespace {

class Hooks final : public api::ServerHooks {
 public:
  Hooks(Metrics& metrics, DatabasePool& pool) : metrics_(metrics), pool_(pool) {}
  std::string MetricsText() override {
    auto lease = pool_.Acquire();
    return metrics_.Text(lease ? &**lease : nullptr);
  }
  void RequestRun(int64_t tenant_id) override {
    if (scheduler_ != nullptr) scheduler_->RequestRun(tenant_id);
  }
  void SetScheduler(Scheduler* scheduler) { scheduler_ = scheduler; }

 private:
  Metrics& metrics_;
  DatabasePool& pool_;
  Scheduler* scheduler_ = nullptr;
};

// A request id the client sent is kept when it is short and plain; else a new one.
std::string RequestId(const httplib::Request& request) {
  const std::string given = request.get_header_value("X-Request-Id");
  const bool plain = !given.empty() && given.size() <= 64 &&
                     std::all_of(given.begin(), given.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
  return plain ? given : access::RandomToken(12);
}

// SQLite: one process owns the scheduler and the worker: an flock beside
// the database file, released when the process ends however it ends.
Result<int> OwnSqliteWork(const std::string& database_url, Language language) {
  auto worker_path = delivery::WorkerLock::LockPathFor(database_url);
  if (!worker_path) return Fail(worker_path.error());
  const std::string path = *worker_path + ".serve";
  const int file = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (file < 0) return Fail(Error::Storage(fmt::format("cannot open {}", path)));
  if (::flock(file, LOCK_EX | LOCK_NB) != 0) {
    ::close(file);
    return Fail(Error::Conflict(TrFormat(
        language,
        "otro `cartera serve` ya programa las corridas y envía para esta base de datos SQLite; con SQLite un solo "
        "proceso lo hace. Inicie este con --no-scheduler --no-delivery para atender solo la API, o use PostgreSQL "
        "para varios nodos",
        "another `cartera serve` already schedules runs and delivers for this SQLite database; on SQLite one "
        "process does. Start this one with --no-scheduler --no-delivery to serve the API only, or use PostgreSQL "
        "for several nodes")));
  }
  return file;
}

}  // namespace

Status Serve(const ServeOptions& options) {
  // Migrations once, before any thread opens a connection.
  {
    auto database = Database::Open(options.database_url);
    if (!database) return Fail(database.error());
    if (auto migrated = ApplyMigrations(**database); !migrated) return Fail(migrated.error());
    if ((*database)->dialect() == Dialect::kSqlite && (options.scheduler || options.delivery)) {
      auto owned = OwnSqliteWork(options.database_url, options.language);
      if (!owned) return Fail(owned.error());  // the descriptor stays open for the process's life
    }
  }

  // Signals go to one thread that stops the server; every other thread
  // (httplib's pool, the scheduler) inherits the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  SystemClock system_clock;
  const Clock& clock = options.clock != nullptr ? *options.clock : system_clock;
  Metrics metrics;
  DatabasePool pool(options.database_url);
  Hooks hooks(metrics, pool);
  api::ApiService service(api::AllRoutes(), pool, clock, options.api, &hooks);
  const std::string node = fmt::format("{}:{}", options.host, options.port);

  auto site = StaticSite::Load(options.web_root);
  if (!site) return Fail(site.error());

  httplib::Server http;
  const int threads = options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_payload_max_length(64u << 20);  // routes state their own limits; this is the ceiling
  http.set_keep_alive_max_count(10000);
  // Headers and body leave in two writes: without TCP_NODELAY, Nagle and the
  // client's delayed ACK hold every keep-alive answer for 40 ms.
  http.set_tcp_nodelay(true);
  http.set_read_timeout(30, 0);
  // Every method and path reaches the service, which routes itself; httplib
  // reads the body first (a pre-routing handler would see none).
  auto handle = [&](const httplib::Request& request, httplib::Response& response) {
    const auto started = std::chrono::steady_clock::now();
    const std::string request_id = RequestId(request);
    if (request.method == "GET" || request.method == "HEAD") {
      const std::string encodings = request.get_header_value("Accept-Encoding");
      if (auto page = site->Get(request.path, encodings.find("gzip") != std::string::npos)) {
        response.status = page->status;
        for (const auto& [name, value] : page->headers) response.set_header(name.c_str(), value);
        response.set_content(page->body.data(), page->body.size(), page->content_type.c_str());
        return;
      }
    }
    api::HttpRequest call;
    call.method = request.method;
    call.path = request.path;
    call.query = std::multimap<std::string, std::string>(request.params.begin(), request.params.end());
    call.header = [&request](std::string_view name) -> std::optional<std::string> {
      const std::string key(name);
      if (!request.has_header(key.c_str())) return std::nullopt;
      return request.get_header_value(key.c_str());
    };
    call.body = request.body;
    call.remote_address = request.remote_addr;
    api::Outcome outcome = service.Handle(call);
    response.status = outcome.response.status;
    for (const auto& [name, value] : outcome.response.headers) response.set_header(name.c_str(), value);
    response.set_header("X-Request-Id", request_id);
    if (!outcome.response.content_type.empty() || !outcome.response.body.empty()) {
      response.set_content(std::move(outcome.response.body), outcome.response.content_type.c_str());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.RecordRequest(request.method, outcome.route, outcome.response.status, seconds);
    // Successful reads are not logged one by one at 10,000 a second; the
    // metrics count them. Changes, failures and slow requests are.
    if (request.method != "GET" || outcome.response.status >= 400 || seconds > 0.5) {
      nlohmann::json line = {{"level", outcome.response.status >= 500 ? "error" : "info"},
                             {"msg", "request"},
                             {"request_id", request_id},
                             {"method", request.method},
                             {"route", outcome.route},
                             {"status", outcome.response.status},
                             {"ms", seconds * 1000}};
      if (outcome.tenant_id != 0) line["tenant"] = outcome.tenant_id;
      if (!outcome.actor.empty()) line["actor"] = outcome.actor;
      if (!outcome.internal_error.empty()) line["error"] = outcome.internal_error;
      LogLine(std::move(line));
    }
  };
  // What httplib refuses itself (a body over the ceiling, a request it
  // cannot parse) still answers problem+json.
  http.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    const api::ProblemCode code = response.status == 413 ? api::ProblemCode::kBodyTooLarge
                                  : response.status == 404 ? api::ProblemCode::kNotFound
                                                           : api::ProblemCode::kBadParameter;
    const Language language = api::LanguageFromAcceptLanguage(request.get_header_value("Accept-Language"));
    nlohmann::json body = api::ProblemJson(api::Problem::Of(code, ""), language, request.path);
    body["status"] = response.status;
    response.set_content(body.dump(), "application/problem+json");
  });
  http.Get(".*", handle);
  http.Post(".*", handle);
  http.Put(".*", handle);
  http.Patch(".*", handle);
  http.Delete(".*", handle);
  http.Options(".*", handle);

  if (!http.bind_to_port(options.host.c_str(), options.port)) {
    return Fail(Error::BadInput(TrFormat(options.language, "no se puede escuchar en {}:{} (¿ocupado?)",
                                         "cannot listen on {}:{} (in use?)", options.host, options.port)));
  }

  std::unique_ptr<Scheduler> scheduler;
  if (options.scheduler) {
    scheduler = std::make_unique<Scheduler>(options.database_url, clock, metrics, node,
                                            std::chrono::seconds(options.scheduler_poll_seconds));
    hooks.SetScheduler(scheduler.get());
    scheduler->Start();
  }

  std::unique_ptr<DeliveryLoop> delivery_loop;
  if (options.delivery) {
    delivery_loop = std::make_unique<DeliveryLoop>(options.database_url, clock, metrics,
                                                   std::chrono::seconds(options.delivery_interval_seconds));
    delivery_loop->Start();
  }

  std::atomic<bool> stopping = false;
  std::thread signal_waiter([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    stopping = true;
    LogLine({{"level", "info"}, {"msg", "stopping"}, {"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
    http.stop();
  });

  const std::string url = fmt::format("http://{}:{}", options.host, options.port);
  LogLine({{"level", "info"}, {"msg", "listening"}, {"url", url}, {"web_files", site->file_count()},
           {"scheduler", options.scheduler},
           {"delivery", options.delivery}, {"threads", threads}});
  if (options.on_listening) options.on_listening(url);
  http.listen_after_bind();  // returns after stop(), with in-flight requests answered

  if (!stopping) {  // listen ended by itself: wake the signal thread so it can be joined
    pthread_kill(signal_waiter.native_handle(), SIGTERM);
  }
  signal_waiter.join();
  // Sends in flight finish; nothing is left `sending`.
  if (delivery_loop) delivery_loop->Stop();
  if (scheduler) scheduler->Stop();
  hooks.SetScheduler(nullptr);
  LogLine({{"level", "info"}, {"msg", "stopped"}});
  return {};
}

}  // namespace cartera::server
