#include "store/postgres_copy.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

namespace cartera {
namespace {

// pg_type oids (src/include/catalog/pg_type.dat); stable across versions.
constexpr Oid kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kTextOid = 25, kBpcharOid = 1042, kVarcharOid = 1043,
              kDateOid = 1082, kTimestampTzOid = 1184;

// Days from 1970-01-01 (the Unix epoch) to 2000-01-01 (PostgreSQL's).
constexpr int64_t kPostgresEpochDays = 10957;

// The results that close a COPY, all read so the connection is free again;
// the server's verdict replaces `so_far` only when that was a success.
Status CopyEnded(PGconn* connection, Status so_far) {
  while (PGresult* result = PQgetResult(connection)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK && so_far) {
      so_far = Fail(Error::Storage(fmt::format("PostgreSQL COPY: {}", PQresultErrorMessage(result))));
    }
    PQclear(result);
  }
  return so_far;
}

// The COPY protocol for both formats: rows gathered into pieces, the end
// or the abandonment of the COPY, and the server's verdict.
class CopyWriter : public BulkWriter {
 public:
  explicit CopyWriter(PGconn* connection) : connection_(connection) {}
  ~CopyWriter() override {
    if (!finished_) {
      PQputCopyEnd(connection_, "aborted");
      while (PGresult* result = PQgetResult(connection_)) PQclear(result);
    }
  }
  Status Finish() override {
    AppendTrailer();
    if (auto flushed = Flush(); !flushed) return flushed;
    finished_ = true;
    if (PQputCopyEnd(connection_, nullptr) != 1) return Fail(Error::Storage(PQerrorMessage(connection_)));
    return CopyEnded(connection_, {});
  }

 protected:
  virtual void AppendTrailer() {}
  Status RowAdded() { return buffer_.size() >= kFlushBytes ? Flush() : Status(); }

  std::string buffer_;

 private:
  // Sent in pieces small enough that the server parses one while the next
  // is formatted: with 1 MiB pieces it waited for data (measured).
  static constexpr size_t kFlushBytes = 64 << 10;

  Status Flush() {
    if (buffer_.empty()) return {};
    if (PQputCopyData(connection_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      return Fail(Error::Storage(fmt::format("PostgreSQL COPY: {}", PQerrorMessage(connection_))));
    }
    buffer_.clear();
    return {};
  }

  PGconn* connection_;
  bool finished_ = false;
};

class TextCopyWriter final : public CopyWriter {
 public:
  using CopyWriter::CopyWriter;
  Status Add(const std::vector<std::optional<std::string_view>>& values) override {
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) buffer_ += '\t';
      if (!values[i]) {
        buffer_ += "\\N";
        continue;
      }
      AppendEscaped(*values[i]);
    }
    buffer_ += '\n';
    return RowAdded();
  }

 private:
  // COPY's text format: backslash escapes for the four special bytes, the
  // runs between them appended whole (a byte table: find_first_of would
  // call memchr once per byte).
  void AppendEscaped(std::string_view value) {
    static constexpr auto kSpecial = [] {
      std::array<bool, 256> special{};
      special['\\'] = special['\t'] = special['\n'] = special['\r'] = true;
      return special;
    }();
    size_t run = 0;
    for (size_t i = 0; i < value.size(); ++i) {
      const char c = value[i];
      if (!kSpecial[static_cast<unsigned char>(c)]) continue;
      buffer_.append(value.substr(run, i - run));
      buffer_ += '\\';
      buffer_ += c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
      run = i + 1;
    }
    buffer_.append(value.substr(run));
  }
};

template <typename T>
bool ParseWhole(std::string_view text, T& value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

// "YYYY-MM-DD" as days since 2000-01-01, or nothing.
std::optional<int32_t> PostgresDays(std::string_view text) {
  int year = 0;
  unsigned month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseWhole(text.substr(0, 4), year) ||
      !ParseWhole(text.substr(5, 2), month) || !ParseWhole(text.substr(8, 2), day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok()) return std::nullopt;
  return static_cast<int32_t>(std::chrono::sys_days(date).time_since_epoch().count() - kPostgresEpochDays);
}

// "YYYY-MM-DDTHH:MM:SS[.f...]Z" (UTC, as Cartera writes timestamps) as
// microseconds since 2000-01-01 00:00 UTC, or nothing.
std::optional<int64_t> PostgresMicroseconds(std::string_view text) {
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text.back() != 'Z') {
    return std::nullopt;
  }
  auto days = PostgresDays(text.substr(0, 10));
  unsigned hour = 0, minute = 0, second = 0;
  if (!days || !ParseWhole(text.substr(11, 2), hour) || !ParseWhole(text.substr(14, 2), minute) ||
      !ParseWhole(text.substr(17, 2), second) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  int64_t micros = 0;
  std::string_view fraction = text.substr(19, text.size() - 20);
  if (!fraction.empty()) {
    unsigned digits = 0;
    if (fraction[0] != '.' || fraction.size() < 2 || fraction.size() > 7 ||
        !ParseWhole(fraction.substr(1), digits)) {
      return std::nullopt;
    }
    micros = digits;
    for (size_t i = fraction.size(); i < 7; ++i) micros *= 10;
  }
  return ((*days * int64_t{24} + hour) * 60 + minute) * 60'000'000 + second * int64_t{1'000'000} + micros;
}

// COPY's binary format (the PostgreSQL manual, "COPY", "Binary Format"):
// a signature, then per row the field count and each field as a length
// (-1 for NULL) and the type's send representation, big-endian.
class BinaryCopyWriter final : public CopyWriter {
 public:
  BinaryCopyWriter(PGconn* connection, std::string table, std::vector<CopyColumn> columns)
      : CopyWriter(connection), table_(std::move(table)), columns_(std::move(columns)) {
    static constexpr char kSignature[] = "PGCOPY\n\377\r\n";
    buffer_.append(kSignature, sizeof kSignature);  // with its NUL byte
    AppendBigEndian<uint32_t>(0);                   // flags
    AppendBigEndian<uint32_t>(0);                   // header extension length
  }

  Status Add(const std::vector<std::optional<std::string_view>>& values) override {
    if (values.size() != columns_.size()) {
      return Fail(Error::Storage(fmt::format("COPY into {}: {} values for {} columns", table_, values.size(),
                                             columns_.size())));
    }
    AppendBigEndian(static_cast<uint16_t>(values.size()));
    for (size_t i = 0; i < values.size(); ++i) {
      if (!values[i]) {
        AppendBigEndian(static_cast<uint32_t>(-1));
        continue;
      }
      if (auto added = AddField(columns_[i], *values[i]); !added) return added;
    }
    return RowAdded();
  }

 private:
  void AppendTrailer() override { AppendBigEndian(static_cast<uint16_t>(-1)); }

  Status AddField(const CopyColumn& column, std::string_view text) {
    switch (column.type) {
      case CopyFieldType::kText:
        AppendBigEndian(static_cast<uint32_t>(text.size()));
        buffer_.append(text);
        return {};
      case CopyFieldType::kInt16:
        return AddInteger<int16_t>(column, text);
      case CopyFieldType::kInt32:
        return AddInteger<int32_t>(column, text);
      case CopyFieldType::kInt64:
        return AddInteger<int64_t>(column, text);
      case CopyFieldType::kDate: {
        auto days = PostgresDays(text);
        if (!days) return Refuse(column, text, "a date (YYYY-MM-DD)");
        AppendFixedWidth(*days);
        return {};
      }
      case CopyFieldType::kTimestampTz: {
        auto micros = PostgresMicroseconds(text);
        if (!micros) return Refuse(column, text, "a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
        AppendFixedWidth(*micros);
        return {};
      }
    }
    return Refuse(column, text, "of a known type");
  }

  template <typename T>
  Status AddInteger(const CopyColumn& column, std::string_view text) {
    T value = 0;
    if (!ParseWhole(text, value)) return Refuse(column, text, "an integer in range");
    AppendFixedWidth(value);
    return {};
  }

  // A field of a fixed-width type: its length, then its value big-endian.
  template <typename T>
  void AppendFixedWidth(T value) {
    AppendBigEndian<uint32_t>(sizeof(T));
    AppendBigEndian(static_cast<std::make_unsigned_t<T>>(value));
  }

  template <typename Unsigned>
  void AppendBigEndian(Unsigned value) {
    if constexpr (std::endian::native == std::endian::little) value = std::byteswap(value);
    buffer_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }

  Status Refuse(const CopyColumn& column, std::string_view text, std::string_view expected) const {
    return Fail(Error::Storage(
        fmt::format("COPY into {}: column {}: '{}' is not {}", table_, column.name, text, expected)));
  }

  std::string table_;
  std::vector<CopyColumn> columns_;
};

// One line of COPY's text output without its newline: fields split at
// tabs, "\\N" as NULL, backslash escapes undone (into `unescaped`, which
// must outlive the values).
char Unescaped(char c) {
  switch (c) {
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return c;  // "\\" and any other escaped byte stand for themselves
  }
}

void SplitCopyLine(std::string_view line, Database::RowValues& values, std::vector<std::string>& unescaped) {
  values.clear();
  // Sized before any value points into it: growing it would move them.
  const size_t fields = static_cast<size_t>(std::count(line.begin(), line.end(), '\t')) + 1;
  if (unescaped.size() < fields) unescaped.resize(fields);
  size_t field = 0;
  while (true) {
    const size_t end = std::min(line.find('\t'), line.size());
    const std::string_view text = line.substr(0, end);
    if (text == "\\N") {
      values.emplace_back(std::nullopt);
    } else if (text.find('\\') == std::string_view::npos) {
      values.emplace_back(text);
    } else {
      std::string& out = unescaped[field];
      out.clear();
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\' || i + 1 == text.size()) {
          out += text[i];
          continue;
        }
        out += Unescaped(text[++i]);
      }
      values.emplace_back(std::string_view(out));
    }
    ++field;
    if (end == line.size()) return;
    line.remove_prefix(end + 1);
  }
}

}  // namespace

Status StartCopy(PGconn* connection, const std::string& sql, ExecStatusType expected) {
  PGresult* result = PQexec(connection, sql.c_str());
  Status status;
  if (PQresultStatus(result) != expected) {
    // The primary message only: the full one quotes the COPY statement.
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    status = Fail(Error::Storage(fmt::format("PostgreSQL: {}", primary != nullptr ? primary : "COPY failed")));
  }
  PQclear(result);
  return status;
}

Status ReadCopyOut(PGconn* connection, std::string_view query,
                   const std::function<Status(const Database::RowValues&)>& row) {
  const std::string sql = fmt::format("COPY ({}) TO STDOUT", query);
  if (auto started = StartCopy(connection, sql, PGRES_COPY_OUT); !started) return started;
  Status status;
  Database::RowValues values;
  std::vector<std::string> unescaped;
  while (true) {
    char* line = nullptr;
    const int length = PQgetCopyData(connection, &line, 0);
    if (length < 0) {
      if (length == -2 && status) {
        status = Fail(Error::Storage(fmt::format("PostgreSQL COPY: {}", PQerrorMessage(connection))));
      }
      break;
    }
    if (status) {
      std::string_view text(line, static_cast<size_t>(length));
      if (text.ends_with('\n')) text.remove_suffix(1);
      SplitCopyLine(text, values, unescaped);
      status = row(values);
    }
    PQfreemem(line);
  }
  return CopyEnded(connection, status);
}

std::optional<CopyFieldType> CopyFieldTypeFor(Oid type) {
  switch (type) {
    case kTextOid:
    case kBpcharOid:
    case kVarcharOid:
      return CopyFieldType::kText;
    case kInt2Oid:
      return CopyFieldType::kInt16;
    case kInt4Oid:
      return CopyFieldType::kInt32;
    case kInt8Oid:
      return CopyFieldType::kInt64;
    case kDateOid:
      return CopyFieldType::kDate;
    case kTimestampTzOid:
      return CopyFieldType::kTimestampTz;
    default:
      return std::nullopt;
  }
}

std::unique_ptr<BulkWriter> MakeTextCopyWriter(PGconn* connection) {
  return std::make_unique<TextCopyWriter>(connection);
}

std::unique_ptr<BulkWriter> MakeBinaryCopyWriter(PGconn* connection, std::string table,
                                                 std::vector<CopyColumn> columns) {
  return std::make_unique<BinaryCopyWriter>(connection, std::move(table), std::move(columns));
}

}  // namespace cartera
