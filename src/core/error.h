// Expected failures as values. An Error carries a code that maps to the CLI
// exit status (and later the HTTP status) in one place each, and a message a
// person can act on.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace cartera {

// Never renumber: codes are persisted in logs and mapped to exit codes.
enum class ErrorCode {
  kBadInput = 1,       // the user's input is wrong (file, argument, field)
  kNotFound = 2,       // a named thing does not exist
  kConflict = 3,       // the request contradicts the stored state
  kOverflow = 4,       // an amount does not fit in 64 bits of minor units
  kCurrencyMismatch = 5,
  kStorage = 6,        // the database failed
  kInternal = 7,
  // The database was busy or this transaction lost a race with another
  // (SQLite "database is locked"; PostgreSQL serialization failure or
  // deadlock): the same transaction tried again may succeed (store/retry.h).
  kBusy = 8,
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  static Error BadInput(std::string message) { return {ErrorCode::kBadInput, std::move(message)}; }
  static Error NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
  static Error Conflict(std::string message) { return {ErrorCode::kConflict, std::move(message)}; }
  static Error Storage(std::string message) { return {ErrorCode::kStorage, std::move(message)}; }
  static Error Internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }
  static Error Busy(std::string message) { return {ErrorCode::kBusy, std::move(message)}; }
};

template <typename T>
using Result = std::expected<T, Error>;

// Status is a Result without a value.
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Error error) { return std::unexpected<Error>(std::move(error)); }

// Exit codes are documented in docs/cli.md: 0 ok, 2 bad input, 1 anything else.
inline int ExitCodeFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kBadInput:
    case ErrorCode::kNotFound:
    case ErrorCode::kCurrencyMismatch:
      return 2;
    default:
      return 1;
  }
}

}  // namespace cartera
