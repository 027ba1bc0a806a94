// Runs a transaction again when the database was only busy: SQLite's
// "database is locked" (another connection held the write lock past the
// busy timeout, or a read snapshot went stale before its first write) and
// PostgreSQL's serialization failures and deadlocks (SQLSTATE 40001, 40P01,
// 55P03) arrive as ErrorCode::kBusy; every other error is returned at once.
// A long-running worker wraps each of its transactions in RetryTransient so
// a moment of contention does not end it.
//
//   auto claimed = RetryTransient(RetryPolicy{}, RealSleep(), [&]() -> Result<bool> {
//     auto transaction = Transaction::Begin(database);
//     if (!transaction) return Fail(transaction.error());
//     ... writes ...
//     if (auto done = transaction->Commit(); !done) return Fail(done.error());
//     return true;
//   });
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"

namespace cartera {

struct RetryPolicy {
  int32_t attempts_max = 8;  // the first try included
  std::chrono::milliseconds first_wait{50};  // doubles before each later try ...
  std::chrono::milliseconds wait_max{5000};  // ... up to this (8 tries: about 6 s of waiting in all)
};

// How the caller waits: std::this_thread::sleep_for in production
// (RealSleep), a recorder in tests, so nothing here reads a clock.
using SleepFunction = std::function<void(std::chrono::milliseconds)>;
SleepFunction RealSleep();

// True for the errors that trying the same transaction again may cure.
inline bool IsTransient(const Error& error) { return error.code == ErrorCode::kBusy; }

// The wait after the `failed_tries`-th failed try (1, 2, ...).
std::chrono::milliseconds RetryWait(const RetryPolicy& policy, int32_t failed_tries);

// Calls `attempt` until it succeeds, fails with an error that is not
// transient, or `policy.attempts_max` tries have failed; waits RetryWait
// between tries. Returns the last try's result; an error after the last try
// says how many were made.
// REQUIRES: `attempt` returns Result<T> or Status, is one whole transaction
// that leaves nothing behind when it fails (a Transaction rolls back when it
// goes out of scope), and resets any state outside the database it set on
// an earlier, failed try.
template <typename Attempt>
auto RetryTransient(const RetryPolicy& policy, const SleepFunction& sleep, Attempt&& attempt)
    -> std::invoke_result_t<Attempt&> {
  for (int32_t tries = 1;; ++tries) {
    auto outcome = attempt();
    if (outcome || !IsTransient(outcome.error())) return outcome;
    if (tries >= policy.attempts_max) {
      Error error = outcome.error();
      error.message = fmt::format("{} (tried {} times)", error.message, tries);
      return Fail(std::move(error));
    }
    sleep(RetryWait(policy, tries));
  }
}

}  // namespace cartera
