// `cartera serve`: one process with the HTTP API, the scheduler and the
// delivery loop. Stops gracefully on SIGTERM/SIGINT: stops accepting,
// finishes the requests and sends in flight, and leaves no item `sending`.
#pragma once

#include <functional>
#include <string>

#include "api/api_service.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/language.h"

namespace cartera::server {

struct ServeOptions {
  std::string database_url;
  std::string host = "127.0.0.1";
  int port = 8080;
  bool scheduler = true;
  bool delivery = true;
  int threads = 16;
  int scheduler_poll_seconds = 30;
  int delivery_interval_seconds = 10;
  api::ServiceOptions api;
  // The built web app and portal (empty: API only).
  std::string web_root;
  Language language = Language::kSpanish;
  // The clock every decision reads (CARTERA_NOW fixes it in tests); the
  // system clock when null.
  const Clock* clock = nullptr;
  // Called once the socket listens (the URL to print).
  std::function<void(const std::string& url)> on_listening;
};

// Runs until a stop signal. kConflict when SQLite's scheduler and worker
// are owned by another process; kBadInput when the address is taken.
Status Serve(const ServeOptions& options);

}  // namespace cartera::server
